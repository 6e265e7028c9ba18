import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { AuditEventView } from '#contract/audit/audit';
import { lazySchema } from '#contract/lazy-schema';
import type { Caller } from '#contract/views';
import { defineEntity, itemKey } from './entity';
import { auditPk } from './keys';

/**
 * The audit trail's record, kept here below every area and the kernel: every
 * area's writes put an event beside their change, and so does an API key's
 * use inside the request kernel's check. The audit area lists it.
 */

/** What an audit event records: who changed what, when, before and after. */
export interface AuditInput {
  workspaceId: string;
  actor: Pick<Caller, 'email' | 'name'>;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  at: string;
}

/** Audit events sort by time, then id: the audit trail reads as one key range. */
export const auditEventSk = (at: string, eventId: string) => `AUDIT#${at}#${eventId}`;

/** The sort key range of the events from `from` to `to` (ISO times), either end open when not given. */
export const auditEventRange = (from: string | undefined, to: string | undefined) => ({
  from: `AUDIT#${from ?? ''}`,
  to: `AUDIT#${to ?? '~'}~`,
});

export const auditEvents = defineEntity({
  type: 'AuditEvent',
  schema: lazySchema(() =>
    z.object({
      id: z.string(),
      workspaceId: z.string(),
      at: z.string(),
      actorEmail: z.string(),
      actorName: z.string(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string(),
      before: z._default(z.unknown(), null),
      after: z._default(z.unknown(), null),
    }),
  ),
  keys: (event) => itemKey(auditPk(event.workspaceId), auditEventSk(event.at, event.id)),
});

/**
 * The Put of an audit event, to be included in the same transaction as the
 * change it describes. Audit events are only ever put, never updated.
 */
export function auditPut(input: AuditInput) {
  const event: AuditEventView = {
    id: randomUUID(),
    workspaceId: input.workspaceId,
    actorEmail: input.actor.email,
    actorName: input.actor.name,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    before: input.before ?? null,
    after: input.after ?? null,
    at: input.at,
  };
  return auditEvents.put(event, { condition: 'attribute_not_exists(pk)' });
}
