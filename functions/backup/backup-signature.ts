import { createHmac, timingSafeEqual } from 'node:crypto';
import { exportFormat, exportVersion, type WorkspaceExport } from '#contract/backup/backup';
import { refuse } from '#contract/refusal';
import { isRecord } from '#functions/runtime/guards';
import { backupKey } from './backup-key';

/**
 * Seals of a backup: each page of an export is signed with the deployment's
 * key over what it is (format, workspace, export id, time, page number,
 * whether it is the last page) and its records, so a page cannot be edited,
 * moved, dropped, or taken from another export without its seal failing.
 * The cursor that leads from one page to the next is signed too, so every
 * page of an export is one the export itself led to.
 */

interface PageFacts {
  workspaceId: string;
  exportId: string;
  exportedAt: string;
  page: number;
  last: boolean;
}

async function mac(purpose: string, text: string) {
  return createHmac('sha256', await backupKey())
    .update(`${purpose}\n`)
    .update(text)
    .digest();
}

/**
 * Each record as the JSON the export gives out: the same text after a
 * parse and re-serialisation (a download, a restore), because the key order
 * and the number and string forms JSON round-trips are kept.
 */
const pageText = (facts: PageFacts, records: readonly unknown[]) =>
  `${JSON.stringify([exportFormat, exportVersion, facts.workspaceId, facts.exportId, facts.exportedAt, facts.page, facts.last])}\n${JSON.stringify(records)}`;

export async function signPage(facts: PageFacts, records: readonly unknown[]): Promise<string> {
  return (await mac('accord-export-page', pageText(facts, records))).toString('base64url');
}

async function sealMatches(facts: PageFacts, records: readonly unknown[], signature: string) {
  const given = Buffer.from(signature, 'base64url');
  const expected = await mac('accord-export-page', pageText(facts, records));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Refuses a backup whose pages are not, exactly, the signed pages of one
 * export of this deployment: 400 naming the first page that fails and why.
 * The records must have passed the depth bound first: sealing serialises them.
 */
export async function verifyBackupSeals(data: WorkspaceExport): Promise<void> {
  const total = data.pages.reduce((sum, page) => sum + page.records, 0);
  if (total !== data.records.length) {
    throw refuse.invalid(`The backup's pages hold ${total} records, but it has ${data.records.length}`, undefined, [
      { field: 'body.pages', message: 'do not add up to the records: the file was altered' },
    ]);
  }
  let start = 0;
  for (const [index, page] of data.pages.entries()) {
    const records = data.records.slice(start, start + page.records);
    const facts = { ...data, page: index + 1, last: index === data.pages.length - 1 };
    if (!(await sealMatches(facts, records, page.signature))) {
      const field = `body.pages.${index}.signature`;
      if (facts.last && (await sealMatches({ ...facts, last: false }, records, page.signature))) {
        throw refuse.invalid('The backup ends before its export did: its last pages are missing', undefined, [
          { field, message: `page ${index + 1} is not the export's last page` },
        ]);
      }
      throw refuse.invalid(
        `Page ${index + 1} of the backup does not match its signature: a record in it was altered, or the page was moved, dropped or taken from another export`,
        undefined,
        [{ field, message: `does not match records ${start} to ${start + page.records - 1}` }],
      );
    }
    start += page.records;
  }
}

/** A cursor the export gave out: its position and the export it belongs to, signed. */
export async function sealCursor(state: Record<string, unknown>): Promise<string> {
  const text = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${text}.${(await mac('accord-export-cursor', text)).toString('base64url')}`;
}

export async function openCursor(cursor: string): Promise<Record<string, unknown>> {
  const [text = '', signature = '', ...rest] = cursor.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = await mac('accord-export-cursor', text);
  if (rest.length === 0 && given.length === expected.length && timingSafeEqual(given, expected)) {
    const state: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (isRecord(state)) return state;
  }
  throw refuse.invalid('The cursor is not one this API gave out');
}
