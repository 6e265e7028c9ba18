/**
 * Whole-workspace backup: every record of the workspace's partitions, as
 * stored, so records of kinds added later travel without changes to backup.
 * It is read in pages; the records of all pages make one export document.
 */
export const exportFormat = 'accord-workspace-export';
export const exportVersion = 1;
/** Most records one restore takes; well above the per-workspace caps combined. */
export const maxRestoreRecords = 20_000;

export interface WorkspaceExport {
  format: typeof exportFormat;
  version: typeof exportVersion;
  workspaceId: string;
  exportedAt: string;
  records: Record<string, unknown>[];
}

/** One page of an export: the next page continues from `nextCursor`; null on the last. */
export interface WorkspaceExportPage extends WorkspaceExport {
  nextCursor: string | null;
}

/** What a restore made: the new workspace and how many records of each type it holds. */
export interface RestoreSummary {
  workspaceId: string;
  name: string;
  imported: number;
  byType: Record<string, number>;
}
