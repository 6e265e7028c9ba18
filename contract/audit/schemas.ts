import * as z from 'zod';
import { pageQuery } from '#contract/common';

const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const auditQuery = z.strictObject({
  ...pageQuery,
  entity: z.string().trim().min(1).max(60, 'must be at most 60 characters').optional(),
  action: z.string().trim().min(1).max(80, 'must be at most 80 characters').optional(),
  actor: z.string().trim().toLowerCase().min(1).max(254, 'must be at most 254 characters').optional(),
  entityId: z.string().trim().min(1).max(254, 'must be at most 254 characters').optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
});

export type AuditQuery = z.infer<typeof auditQuery>;
