import type { AuditEventView } from '#contract/audit/audit';
import type { AuditQuery } from '#contract/audit/schemas';
import { auditEventRange, auditEvents } from '#functions/table/audit-trail';
import { tableName } from '#functions/table/client';
import { auditPk } from '#functions/table/keys';
import { type Page, queryPage } from '#functions/table/pages';

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
  const range = auditEventRange(
    query.from ? new Date(query.from).toISOString() : undefined,
    query.to ? new Date(query.to).toISOString() : undefined,
  );
  values[':from'] = range.from;
  values[':to'] = range.to;
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
