import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ApiKeyView } from '#contract/integration/api-keys';
import { lazySchema } from '#contract/lazy-schema';
import { apiKeyItemKey } from '#functions/access/key-records';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryPage } from '#functions/table/pages';
import type { TransactItem } from '#functions/table/transactions';

/**
 * API keys. A key lives in a partition of its own, found by its id alone,
 * because that is all a request carries until the key is verified; it is
 * listed for its workspace through gsi1. The verification reads it with a
 * strongly consistent GetItem, so a revocation counts from the next request.
 * The per-key request windows share the key's partition and expire by TTL
 * (functions/access/key-records.ts, with the item's key: a key's use is
 * checked and counted by the request kernel, below this area).
 */
const keyListPk = (workspaceId: string) => `${workspacePk(workspaceId)}#APIKEYS`;

export const keyStatuses = ['active', 'revoked'] as const;

export const apiKeys = defineEntity({
  type: 'ApiKey',
  schema: lazySchema(() =>
    z.object({
      id: z.string(),
      workspaceId: z.string(),
      name: z.string(),
      routes: z.array(z.string()),
      requestsPerMinute: z.number(),
      hint: z.string(),
      /** SHA-256 of the secret, hex: the secret itself is never stored. */
      secretHash: z.string(),
      status: z.enum(keyStatuses),
      createdAt: z.string(),
      createdBy: z.string(),
      revokedAt: z._default(z.nullable(z.string()), null),
      revokedBy: z._default(z.nullable(z.string()), null),
      /** When the key last made a request that passed its checks; kept out of `version`, so a use never races a revocation. */
      lastUsedAt: z._default(z.nullable(z.string()), null),
      version: z.number(),
    }),
  ),
  keys: (key) => ({ ...apiKeyItemKey(key.id), ...indexKey(keyListPk(key.workspaceId), `${key.createdAt}#${key.id}`) }),
});

export type ApiKeyRecord = z.output<typeof apiKeys.schema>;

/** The key as the API shows it: without its hash or status bookkeeping. */
export function keyView(record: ApiKeyRecord): ApiKeyView {
  const { secretHash: _hash, status: _status, ...view } = record;
  return view;
}

/** The key, read strongly consistent: a revocation a moment ago counts. */
export async function getApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
  const result = await dynamo.send(new GetCommand({ TableName: tableName(), Key: apiKeyItemKey(keyId), ConsistentRead: true }));
  return result.Item ? apiKeys.parse(result.Item) : undefined;
}

export const newKeyPut = (record: ApiKeyRecord) => apiKeys.put(record, { condition: 'attribute_not_exists(pk)' });

/** The revocation of a key as read at `version`, and only in its own workspace. */
export function keyRevoke(record: ApiKeyRecord, revokedBy: string, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: apiKeyItemKey(record.id),
      UpdateExpression: 'SET #status = :revoked, revokedAt = :now, revokedBy = :by, version = version + :one',
      ConditionExpression: 'workspaceId = :ws AND version = :version AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':revoked': 'revoked',
        ':active': 'active',
        ':now': now,
        ':by': revokedBy,
        ':one': 1,
        ':ws': record.workspaceId,
        ':version': record.version,
      },
    },
  };
}

/** A page of a workspace's keys, newest first. */
export function listKeyRecords(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<ApiKeyView>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi1.pk },
      ExpressionAttributeValues: { ':pk': keyListPk(workspaceId) },
      ScanIndexForward: false,
    },
    page,
    (item) => keyView(apiKeys.parse(item)),
  );
}
