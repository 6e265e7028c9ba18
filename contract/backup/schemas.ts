import * as z from 'zod/mini';
import { id, pageQuery } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { exportFormat, exportVersion, maxRestorePages, maxRestoreRecords } from './backup';

const record = lazySchema(() =>
  z
    .record(z.string().check(z.maxLength(255)), z.unknown())
    .check(z.refine((value) => typeof value.pk === 'string' && typeof value.sk === 'string', { message: 'must have pk and sk' })),
);

/** A backup to restore: the export document, the records of all its pages together. */
export const restoreBody = lazySchema(() =>
  z.strictObject({
    format: z.literal(exportFormat),
    version: z.literal(exportVersion),
    workspaceId: id,
    exportId: id,
    exportedAt: z.string().check(z.maxLength(40)),
    records: z
      .array(record)
      .check(z.minLength(1), z.maxLength(maxRestoreRecords, `must hold at most ${maxRestoreRecords} items`)),
    // Each page's record count and signature, in the order the export gave them out.
    pages: z
      .array(
        z.strictObject({
          records: z.int().check(z.minimum(0), z.maximum(maxRestoreRecords)),
          signature: z.string().check(z.maxLength(100)),
        }),
        { error: 'are missing: a backup carries the signature of each page of its export' },
      )
      .check(z.minLength(1), z.maxLength(maxRestorePages, `must hold at most ${maxRestorePages} items`)),
    // A page of an export that is not its last names the next one; importing
    // it alone would restore part of a workspace.
    nextCursor: z.optional(z.null({ error: 'is set: this is one page of an export; join the records of every page' })),
  }),
);

/** The export pages by the collections it reads, not by a record count, so it takes a cursor only. */
export const exportQuery = lazySchema(() => z.strictObject({ cursor: pageQuery.cursor }));
