import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Reads a workspace's partition straight from DynamoDB Local, bypassing the
 * API, so a suite can check what was (or was not) written.
 */
export async function partitionItems(
  workspaceId: string,
  endpoint = process.env.DYNAMODB_ENDPOINT,
  tableName = process.env.TABLE_NAME,
  /** Suffix naming one of the workspace's item collections, e.g. `#ITEM#<id>`; empty for its own partition. */
  collection = '',
): Promise<Record<string, any>[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const items: Record<string, any>[] = [];
  let cursor: Record<string, unknown> | undefined;
  try {
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `WS#${workspaceId}${collection}` },
          ExclusiveStartKey: cursor,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  } finally {
    client.destroy();
  }
  return items;
}

/** The workspace's audit events, from their own partition. */
export const auditEvents = (workspaceId: string, endpoint?: string, tableName?: string) =>
  partitionItems(workspaceId, endpoint, tableName, '#AUDIT');

/**
 * The partition and the audit trail as sorted, comparable text: equal
 * snapshots mean nothing was written, not even an audit event.
 */
export async function snapshot(workspaceId: string, endpoint?: string, tableName?: string): Promise<string[]> {
  const [own, audit] = await Promise.all([
    partitionItems(workspaceId, endpoint, tableName),
    auditEvents(workspaceId, endpoint, tableName),
  ]);
  return [...own, ...audit].map((item) => JSON.stringify(item)).sort();
}

export const countOf = (items: Record<string, any>[], type: string) => items.filter((item) => item.type === type).length;
