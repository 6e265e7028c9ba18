/**
 * Whole-workspace backup: every record of the workspace's partitions, as
 * stored. It is read in pages; the records of all pages make one export
 * document. Each page is signed by the deployment (HMAC-SHA256 over its
 * records, the export's id, the page's number and whether it is the last),
 * and the document keeps each page's record count and signature, so a
 * restore takes only what an export of this deployment gave out, whole and
 * in order.
 */
export const exportFormat = 'accord-workspace-export';
export const exportVersion = 1;
/** Most records one restore takes; well above the per-workspace caps combined. */
export const maxRestoreRecords = 20_000;
/** Most pages one restore takes: a page holds at least one record, so never more than the records. */
export const maxRestorePages = maxRestoreRecords;

/** What an export is, whichever page it was read from. */
interface ExportHeader {
  format: typeof exportFormat;
  version: typeof exportVersion;
  workspaceId: string;
  /** One id per export, the same on every page of it. */
  exportId: string;
  exportedAt: string;
}

/** One page of an export as signed: its records and where the next page starts (null on the last). */
export interface WorkspaceExportPage extends ExportHeader {
  /** 1 for the first page. */
  page: number;
  records: Record<string, unknown>[];
  signature: string;
  nextCursor: string | null;
}

/** A page of the document, as the restore verifies it: how many of its records in order, and its signature. */
export interface ExportPageSeal {
  records: number;
  signature: string;
}

/** The backup document: the records of every page in order, and each page's seal. */
export interface WorkspaceExport extends ExportHeader {
  records: Record<string, unknown>[];
  pages: ExportPageSeal[];
}

/** Joins the pages of one export, in the order read, into the document a restore takes. */
export function joinExportPages(pages: WorkspaceExportPage[]): WorkspaceExport {
  const [first] = pages;
  if (!first) throw new Error('An export has at least one page');
  const { format, version, workspaceId, exportId, exportedAt } = first;
  return {
    format,
    version,
    workspaceId,
    exportId,
    exportedAt,
    records: pages.flatMap((page) => page.records),
    pages: pages.map((page) => ({ records: page.records.length, signature: page.signature })),
  };
}

/** What a restore made: the new workspace and how many records of each type it holds. */
export interface RestoreSummary {
  workspaceId: string;
  name: string;
  imported: number;
  byType: Record<string, number>;
}
