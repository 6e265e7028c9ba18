import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ApiKeyView, type CreatedApiKey, formatApiKey, maxActiveKeys } from '#contract/integration/api-keys';
import type { NewApiKey } from '#contract/integration/schemas';
import { machineRouteNames } from '#contract/machine';
import { machineRouteSources as routes } from '#contract/machine-routes';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import type { Page } from '#functions/table/pages';
import { named, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { capDecrement, capIncrement, capReached } from '#functions/workspaces/limits';
import { type ApiKeyRecord, getApiKey, keyRevoke, keyView, listKeyRecords, newKeyPut } from './entities';

/** SHA-256 of a key's secret: the secret has 256 random bits, so a fast hash is enough (no guessing to slow down). */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The routes a key may name: those the route table flags `machine` (contract/machine.ts). */
export const keyRouteNames = () => machineRouteNames(routes);

/**
 * Creates a key for machine callers. The answer carries the key this once;
 * only its hash is stored. Every route it names must be a machine route.
 */
export async function createApiKey(workspaceId: string, input: NewApiKey, actor: Caller, now: string): Promise<CreatedApiKey> {
  const allowed = keyRouteNames();
  const unknown = input.routes.filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw refuse.invalid(
      `${unknown.join(', ')} cannot be called with an API key; a key may name ${allowed.join(', ')}`,
      'body.routes',
    );
  }
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const apiKey = formatApiKey(id, secret);
  const record: ApiKeyRecord = {
    id,
    workspaceId,
    name: input.name,
    routes: [...new Set(input.routes)],
    requestsPerMinute: input.requestsPerMinute,
    hint: apiKey.slice(-4),
    secretHash: secretHash(secret),
    status: 'active',
    createdAt: now,
    createdBy: actor.email,
    revokedAt: null,
    revokedBy: null,
    lastUsedAt: null,
    version: 1,
  };
  const key = keyView(record);
  try {
    await transactWrite([
      named('key', newKeyPut(record)),
      named('keyCap', capIncrement(workspaceId, 'apiKeys', maxActiveKeys, now)),
      auditPut({ workspaceId, actor, action: 'apiKey.created', entity: 'apiKey', entityId: id, after: key, at: now }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'keyCap') throw capReached('apiKeys', maxActiveKeys);
    throw error;
  }
  return { key, apiKey };
}

export function listApiKeys(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<ApiKeyView>> {
  return listKeyRecords(workspaceId, page);
}

/** Revokes a key: the next request with it is refused. A key of another workspace is not found. */
export async function revokeApiKey(workspaceId: string, keyId: string, actor: Caller, now: string): Promise<ApiKeyView> {
  const before = await getApiKey(keyId);
  if (!before || before.workspaceId !== workspaceId) throw refuse.notFound('API key not found');
  if (before.status === 'revoked') throw refuse.conflict('This API key is revoked already', { current: keyView(before) });
  const after = keyView({ ...before, status: 'revoked', revokedAt: now, revokedBy: actor.email, version: before.version + 1 });
  try {
    await transactWrite([
      named('key', keyRevoke(before, actor.email, now)),
      capDecrement(workspaceId, 'apiKeys', now),
      auditPut({
        workspaceId,
        actor,
        action: 'apiKey.revoked',
        entity: 'apiKey',
        entityId: keyId,
        before: keyView(before),
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'key') {
      throw refuse.conflict('This API key changed meanwhile; it may be revoked already');
    }
    throw error;
  }
  return after;
}
