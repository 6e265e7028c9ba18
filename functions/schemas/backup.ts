import * as z from 'zod';
import { exportFormat, exportVersion, maxImportRecords } from '../domain/backup';
import { id } from './common';

const record = z
  .record(z.string().max(255), z.unknown())
  .refine((value) => typeof value.pk === 'string' && typeof value.sk === 'string', { message: 'must have pk and sk' });

export const importBody = z.strictObject({
  format: z.literal(exportFormat),
  version: z.literal(exportVersion),
  workspaceId: id,
  exportedAt: z.string().max(40),
  records: z.array(record).min(1).max(maxImportRecords, `must hold at most ${maxImportRecords} items`),
});
