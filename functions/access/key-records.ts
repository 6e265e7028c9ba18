import { tableName } from '#functions/table/client';
import { itemKey } from '#functions/table/entity';
import type { TransactItem } from '#functions/table/transactions';

/**
 * What an API key's use writes, from the request kernel's check (key-use.ts)
 * alone: the key's item, held active and noted as used, and the key's request
 * windows beside it in its partition. The key record itself, created, listed
 * and revoked there, is the integration area's (functions/integration/entities.ts).
 */
const keyPk = (keyId: string) => `APIKEY#${keyId}`;
export const apiKeyItemKey = (keyId: string) => itemKey(keyPk(keyId), 'APIKEY');

/** Length of a rate-limit window. */
export const windowSeconds = 60;

/**
 * One more request in the key's current fixed window, refused by its
 * condition once the window holds `limit`; the window's item expires by TTL
 * a window after it ends.
 */
export function windowCount(keyId: string, windowStart: number, limit: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: itemKey(keyPk(keyId), `WINDOW#${windowStart}`),
      UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'requests' },
      ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + 2 * windowSeconds },
    },
  };
}

/**
 * The key is still active and of this workspace, checked inside the use's
 * transaction, which also notes when it was last used (for the admins' list).
 */
export function keyStillActive(keyId: string, workspaceId: string, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: apiKeyItemKey(keyId),
      UpdateExpression: 'SET lastUsedAt = :now',
      ConditionExpression: 'workspaceId = :ws AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':ws': workspaceId, ':active': 'active', ':now': now },
    },
  };
}
