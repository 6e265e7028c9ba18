import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailable } from '../lib/errors';
import { dynamo, tableName } from './client';

export interface TableKey {
  pk: string;
  sk: string;
}

/** DynamoDB answers at most this many keys per BatchGetItem request. */
export const batchGetMaxKeys = 100;

/** How often keys DynamoDB left unprocessed are asked for again before the caller gets a 503. */
const unprocessedAttempts = 6;

const keyOf = (key: TableKey) => `${key.pk}\u0000${key.sk}`;

/**
 * Before another attempt (the 2nd or later) at what a batch request left
 * unprocessed: a growing, jittered pause, or 503 once the attempts are used up.
 */
export async function pauseBeforeRetry(attempt: number): Promise<void> {
  if (attempt > unprocessedAttempts) throw new ServiceUnavailable('The database is busy; retry shortly');
  await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));
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
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 1) await pauseBeforeRetry(attempt);
    const result = await dynamo.send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[tableName()] ?? []) found.set(keyOf(item as TableKey), item);
    pending = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  return { get: (key) => found.get(keyOf(key)) };
}
