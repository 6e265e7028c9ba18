import * as z from 'zod';
import { id, pageQuery } from '#contract/common';
import { exportFormat, exportVersion, maxRestorePages, maxRestoreRecords } from './backup';

const record = z
  .record(z.string().max(255), z.unknown())
  .refine((value) => typeof value.pk === 'string' && typeof value.sk === 'string', { message: 'must have pk and sk' });

/** A backup to restore: the export document, the records of all its pages together. */
export const restoreBody = z.strictObject({
  format: z.literal(exportFormat),
  version: z.literal(exportVersion),
  workspaceId: id,
  exportId: id,
  exportedAt: z.string().max(40),
  records: z.array(record).min(1).max(maxRestoreRecords, `must hold at most ${maxRestoreRecords} items`),
  // Each page's record count and signature, in the order the export gave them out.
  pages: z
    .array(
      z.strictObject({
        records: z.number().int().min(0).max(maxRestoreRecords),
        signature: z.string().max(100),
      }),
      { error: 'are missing: a backup carries the signature of each page of its export' },
    )
    .min(1)
    .max(maxRestorePages, `must hold at most ${maxRestorePages} items`),
  // A page of an export that is not its last names the next one; importing
  // it alone would restore part of a workspace.
  nextCursor: z.null({ error: 'is set: this is one page of an export; join the records of every page' }).optional(),
});

/** The export pages by the collections it reads, not by a record count, so it takes a cursor only. */
export const exportQuery = z.strictObject({ cursor: pageQuery.cursor });
