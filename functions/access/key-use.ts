import type { RouteDefinition } from '#contract/define';
import { scopeEntry } from '#contract/machine';
import type { MemberView } from '#contract/views';
import { accessRefusal } from '#contract/workspaces/members';
import { Forbidden, NotFound, TooManyRequests, Unauthorized } from '#functions/runtime/errors';
import { auditPut } from '#functions/table/audit-trail';
import { named, TransactionConditionFailed, transact } from '#functions/table/transactions';
import { type KeyContext, keyCaller, keyMember } from './key-context';
import { keyStillActive, windowCount, windowSeconds } from './key-records';

/**
 * A machine caller's stand-in for the membership check: the key must be of
 * the workspace in the path and name this route; then, in one transaction,
 * the key is still active, its current window has room (a fixed window per
 * minute, 429 with Retry-After when full) and the use goes to the audit trail
 * under the key's name. The route's own reads go out beside it and its writes
 * wait for it, as they wait for a person's membership check.
 */
export async function keyMembership(
  route: Pick<RouteDefinition, 'method' | 'path' | 'access' | 'machineActsAs'>,
  key: KeyContext,
  request: { workspaceId: string; path: string },
  now: string,
): Promise<MemberView> {
  // Another workspace's key learns nothing about this one: the same answer as for a stranger.
  if (key.workspaceId !== request.workspaceId) throw new NotFound('Workspace not found');
  if (!key.scope.split('\n').includes(scopeEntry(route))) {
    throw new Forbidden(`The API key ${key.keyName} may not call ${route.method} ${route.path}: ask an admin to add it`);
  }
  const member = keyMember(key, now, route);
  // Never past the stand-in's reach (a rep's, or an operations manager's on a route flagged so), whatever a route's flag says.
  const refusal = accessRefusal(route.access, member);
  if (refusal) throw new Forbidden(refusal);
  const seconds = Math.floor(Date.parse(now) / 1000);
  const windowStart = seconds - (seconds % windowSeconds);
  try {
    await transact(
      [
        named('key', keyStillActive(key.keyId, key.workspaceId, now)),
        named('window', windowCount(key.keyId, windowStart, key.requestsPerMinute)),
        auditPut({
          workspaceId: key.workspaceId,
          actor: keyCaller(key),
          action: 'apiKey.used',
          entity: 'apiKey',
          entityId: key.keyId,
          after: { method: route.method, route: route.path, path: request.path.slice(0, 1024) },
          at: now,
        }),
      ],
      // Parallel requests of one key meet on its window item; DynamoDB cancels all but one, and they retry.
      { maxAttempts: 8 },
    );
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'window') {
      const wait = Math.max(1, windowStart + windowSeconds - seconds);
      throw new TooManyRequests(
        `The API key ${key.keyName} made ${key.requestsPerMinute} requests this minute, its limit`,
        wait,
        {
          limit: 'apiKey.requestsPerMinute',
          max: key.requestsPerMinute,
        },
      );
    }
    if (error instanceof TransactionConditionFailed && error.part === 'key') {
      throw new Unauthorized('The API key was revoked');
    }
    throw error;
  }
  return member;
}
