import { randomUUID } from 'node:crypto';
import type { AuditEventView } from '#contract/audit/audit';
import type { AuditQuery } from '#contract/audit/schemas';
import type { Caller } from '#contract/views';
import { tableName } from '#functions/table/client';
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

/**
 * The Put of an audit event, to be included in the same transaction as the
 * change it describes. Audit events are only ever put, never updated.
 */
export function auditPut(input: AuditInput) {
  const eventId = randomUUID();
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: auditPk(input.workspaceId),
        sk: auditEventSk(input.at, eventId),
        type: 'AuditEvent',
        id: eventId,
        workspaceId: input.workspaceId,
        actorEmail: input.actor.email,
        actorName: input.actor.name,
        action: input.action,
        entity: input.entity,
        entityId: input.entityId,
        before: input.before ?? null,
        after: input.after ?? null,
        at: input.at,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function toAuditEvent(item: Record<string, unknown>): AuditEventView {
  return {
    id: item.id as string,
    workspaceId: item.workspaceId as string,
    at: item.at as string,
    actorEmail: item.actorEmail as string,
    actorName: item.actorName as string,
    action: item.action as string,
    entity: item.entity as string,
    entityId: item.entityId as string,
    before: item.before ?? null,
    after: item.after ?? null,
  };
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
    toAuditEvent,
  );
}
