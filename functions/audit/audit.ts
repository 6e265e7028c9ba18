import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { AuditEventView } from '#contract/audit/audit';
import type { AuditQuery } from '#contract/audit/schemas';
import { lazySchema } from '#contract/lazy-schema';
import type { Caller } from '#contract/views';
import { tableName } from '#functions/table/client';
import { defineEntity, itemKey } from '#functions/table/entity';
import { auditPk } from '#functions/table/keys';
import { type Page, queryPage } from '#functions/table/pages';

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

const auditEvents = defineEntity({
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

/**
 * A page of a workspace's audit events, newest first. The time range narrows
 * the key condition; the other filters apply to what it reads, so a page can
 * hold fewer events than its limit and still have a next page.
 */
export function listAuditEvents(workspaceId: string, query: AuditQuery): Promise<Page<AuditEventView>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': auditPk(workspaceId) };
  const filters: string[] = [];
  for (const [field, attribute] of [
    ['entity', 'entity'],
    ['action', 'action'],
    ['actor', 'actorEmail'],
    ['entityId', 'entityId'],
  ] as const) {
    const value = query[field];
    if (value === undefined) continue;
    names[`#${field}`] = attribute;
    values[`:${field}`] = value;
    filters.push(`#${field} = :${field}`);
  }
  values[':from'] = `AUDIT#${query.from ? new Date(query.from).toISOString() : ''}`;
  values[':to'] = `AUDIT#${query.to ? new Date(query.to).toISOString() : '~'}~`;
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    { limit: query.limit, cursor: query.cursor },
    auditEvents.parse,
  );
}
