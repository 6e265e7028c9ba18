import * as z from 'zod/mini';
import { isoDateTime, pageQuery } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';

const isoInstant = lazySchema(() => isoDateTime({ offset: true, error: 'must be an ISO 8601 date-time' }));

/** Trimmed text of 1 to `max` characters, for a filter. */
const filter = (max: number) =>
  z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(max, `must be at most ${max} characters`)));

export const auditQuery = lazySchema(() =>
  z.strictObject({
    ...pageQuery,
    entity: filter(60),
    action: filter(80),
    actor: z.optional(
      z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(254, 'must be at most 254 characters')),
    ),
    entityId: filter(254),
    from: z.optional(isoInstant),
    to: z.optional(isoInstant),
  }),
);

export type AuditQuery = z.infer<typeof auditQuery>;
