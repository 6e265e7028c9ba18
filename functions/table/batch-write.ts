import { BatchWriteCommand, type BatchWriteWriteRequest } from '@aws-sdk/lib-dynamodb';
import { pauseBeforeRetry } from './batch-get';
import { dynamo, tableName } from './client';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** DynamoDB takes at most this many requests per BatchWriteItem. */
const batchWriteMaxRequests = 25;

/**
 * Writes requests in BatchWriteItem requests of 25, for writes that need no
 * transaction (they become visible through one written after them). What
 * DynamoDB leaves unprocessed is sent again after a short growing pause; a
 * batch it keeps refusing is a 503.
 */
export async function writeInBatches(requests: WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += batchWriteMaxRequests) {
    let pending: BatchWriteWriteRequest[] = requests.slice(start, start + batchWriteMaxRequests);
    const startedAt = Date.now();
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) await pauseBeforeRetry(attempt, startedAt);
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = result.UnprocessedItems?.[tableName()] ?? [];
    }
  }
}

/** Puts items in batches; see {@link writeInBatches}. */
export const putInBatches = (items: Record<string, unknown>[]) => writeInBatches(items.map((Item) => ({ PutRequest: { Item } })));
