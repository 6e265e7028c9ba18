import { timingSafeEqual } from 'node:crypto';
import type { RouteDefinition } from '#contract/define';
import { parseApiKey } from '#contract/integration/api-keys';
import { machineRouteNames, scopeEntry } from '#contract/machine';
import { machineRouteSources as routes } from '#contract/machine-routes';
import type { KeyContext } from '#functions/access/key-context';
import { getApiKey } from './entities';
import { secretHash } from './keys';

/**
 * The key's context when the header holds an active key, else null. One
 * strongly consistent read; the secret's hash is compared in constant time.
 * The scope is worked out from the route table now, so a route that is no
 * longer a machine route drops out of every key at once.
 */
export async function verifyApiKey(header: string | undefined): Promise<KeyContext | null> {
  const parsed = parseApiKey(header);
  if (!parsed) return null;
  const key = await getApiKey(parsed.id);
  if (key?.status !== 'active') return null;
  const sent = Buffer.from(secretHash(parsed.secret), 'hex');
  const stored = Buffer.from(key.secretHash, 'hex');
  if (stored.length !== sent.length || !timingSafeEqual(sent, stored)) return null;
  const machine = new Set(machineRouteNames(routes));
  const table: Record<string, Pick<RouteDefinition, 'method' | 'path'>> = routes;
  const scope = key.routes
    .filter((name) => machine.has(name))
    .flatMap((name) => {
      const route = table[name];
      return route ? [scopeEntry(route)] : [];
    });
  return {
    keyId: key.id,
    workspaceId: key.workspaceId,
    keyName: key.name,
    requestsPerMinute: key.requestsPerMinute,
    scope: scope.join('\n'),
  };
}
