import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from './client';

type Key = { pk: string; sk: string };

/**
 * Reads up to 100 items by key in one BatchGetItem (strongly consistent), so
 * a route that needs a few records pays one round trip instead of one each.
 * Answers the items in the order of `keys`, undefined where none exists; keys
 * DynamoDB leaves unprocessed under load are asked for again.
 */
export async function getMany(keys: Key[]): Promise<Array<Record<string, unknown> | undefined>> {
  const found = new Map<string, Record<string, unknown>>();
  let pending: Key[] = keys;
  while (pending.length > 0) {
    const result = await dynamo.send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[tableName()] ?? []) found.set(`${item.pk}\u0000${item.sk}`, item);
    pending = (result.UnprocessedKeys?.[tableName()]?.Keys as Key[] | undefined) ?? [];
  }
  return keys.map((key) => found.get(`${key.pk}\u0000${key.sk}`));
}
