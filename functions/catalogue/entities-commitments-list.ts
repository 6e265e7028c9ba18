import type { Commitment } from '#contract/catalogue/commitments';
import { commitmentsGsiPk } from '#functions/portfolio/item-collection';
import { tableName } from '#functions/table/client';
import { gsi1 } from '#functions/table/entity';
import { decodeCursor, encodeCursor, queryFromCursor } from '#functions/table/pages';
import { tableDefinition } from '#functions/table/table-definition';
import { legacyApprovedStatus, toCommitment } from './entities';

/**
 * The workspace's commitments across items, from gsi1 where each commitment
 * is listed by `<deliveryDate>#<id>`: a delivery-date range is the key
 * condition; state, rep, item and band are a filter expression.
 */
export interface IndexFilters {
  from?: string;
  to?: string;
  status?: string;
  recordedBy?: string;
  itemId?: string;
  answer?: string;
}

export interface ScannedPage {
  /** Rows the filter expression kept, in delivery-date order, each with the key a cursor resumes after. */
  rows: Array<{ commitment: Commitment; key: Record<string, unknown> }>;
  /** Where DynamoDB stopped, when it did before the end of the range. */
  lastKey: Record<string, unknown> | undefined;
  scanned: number;
}

function keyCondition(workspaceId: string, filters: IndexFilters) {
  const values: Record<string, unknown> = { ':pk': commitmentsGsiPk(workspaceId) };
  const names: Record<string, string> = { '#pk': gsi1.pk, '#sk': gsi1.sk };
  // `~` sorts after every id, so `<to>#~` closes the last day whole.
  if (filters.from && filters.to) {
    values[':from'] = filters.from;
    values[':to'] = `${filters.to}#~`;
    return { expression: '#pk = :pk AND #sk BETWEEN :from AND :to', names, values };
  }
  if (filters.from) {
    values[':from'] = filters.from;
    return { expression: '#pk = :pk AND #sk >= :from', names, values };
  }
  if (filters.to) {
    values[':to'] = `${filters.to}#~`;
    return { expression: '#pk = :pk AND #sk <= :to', names, values };
  }
  return { expression: '#pk = :pk', names: { '#pk': gsi1.pk }, values };
}

function filterExpression(filters: IndexFilters) {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of ['status', 'recordedBy', 'itemId', 'answer'] as const) {
    const value = filters[field];
    if (value === undefined) continue;
    names[`#f_${field}`] = field;
    values[`:f_${field}`] = value;
    // Commitments stored before approval existed say `active` and read as approved (see entities.ts).
    if (field === 'status' && value === 'approved') {
      clauses.push(`#f_${field} IN (:f_${field}, :f_legacy_${field})`);
      values[`:f_legacy_${field}`] = legacyApprovedStatus;
      continue;
    }
    clauses.push(`#f_${field} = :f_${field}`);
  }
  return { clauses, names, values };
}

const keyNames = [tableDefinition.partitionKey, tableDefinition.sortKey, gsi1.pk, gsi1.sk];
const keyOf = (item: Record<string, unknown>) => Object.fromEntries(keyNames.map((name) => [name, item[name]]));

/**
 * One Query of at most `budget` index entries from the cursor on: the page's
 * one request. A cursor can only continue within this workspace's list (see
 * `queryFromCursor`).
 */
export async function scanWorkspaceCommitments(
  workspaceId: string,
  filters: IndexFilters,
  page: { budget: number; cursor?: string },
): Promise<ScannedPage> {
  const key = keyCondition(workspaceId, filters);
  const filter = filterExpression(filters);
  const result = await queryFromCursor({
    TableName: tableName(),
    IndexName: gsi1.name,
    KeyConditionExpression: key.expression,
    ...(filter.clauses.length > 0 ? { FilterExpression: filter.clauses.join(' AND ') } : {}),
    ExpressionAttributeNames: { ...key.names, ...filter.names },
    ExpressionAttributeValues: { ...key.values, ...filter.values },
    Limit: page.budget,
    ExclusiveStartKey: decodeCursor(page.cursor),
  });
  return {
    rows: (result.Items ?? []).map((item) => ({ commitment: toCommitment(item), key: keyOf(item) })),
    lastKey: result.LastEvaluatedKey,
    scanned: result.ScannedCount ?? 0,
  };
}

export { encodeCursor };
