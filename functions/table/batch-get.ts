import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { pauseWithinDeadline } from '#functions/runtime/deadline';
import { dynamo, tableName } from './client';

export interface TableKey {
  pk: string;
  sk: string;
}

/** DynamoDB answers at most this many keys per BatchGetItem request. */
export const batchGetMaxKeys = 100;

const keyOf = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;

/**
 * Before another attempt (the 2nd or later) at what a batch request left
 * unprocessed: a growing, jittered pause, or 503 once no further attempt
 * fits the request's deadline (see lib/deadline.ts).
 */
export function pauseBeforeRetry(attempt: number, startedAt: number): Promise<void> {
  const pause = Math.random() * Math.min(1000, 25 * 2 ** attempt);
  return pauseWithinDeadline(pause, 'The database is busy; retry shortly', startedAt);
}

/** Items read by exact key; `get` answers undefined for a key with no item. */
export interface ItemsByKey {
  get(key: TableKey): Record<string, unknown> | undefined;
}

/**
 * Reads up to 100 items by exact key in one strongly consistent
 * BatchGetItem, so several records a route needs cost one round trip
 * instead of one GetItem each. DynamoDB may leave keys unprocessed (when it
 * throttles, or past 16 MB); those are asked for again after a short growing
 * pause, which is a further request only in that case.
 */
export async function getByKeys(keys: TableKey[]): Promise<ItemsByKey> {
  if (keys.length > batchGetMaxKeys) throw new Error(`getByKeys takes at most ${batchGetMaxKeys} keys, got ${keys.length}`);
  const found = new Map<string, Record<string, unknown>>();
  let pending: Array<Record<string, unknown>> = [
    ...new Map(keys.map((key) => [keyOf(key), { pk: key.pk, sk: key.sk }])).values(),
  ];
  const startedAt = Date.now();
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 1) await pauseBeforeRetry(attempt, startedAt);
    const result = await dynamo.send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[tableName()] ?? []) found.set(keyOf(item), item);
    pending = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  return { get: (key) => found.get(keyOf(key)) };
}
