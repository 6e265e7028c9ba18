import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute, RouteName } from '#contract/index';
import { apiKeyHeader, machinePath, machineRouteNames } from '#contract/machine';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { pathOf, routeEntries, samplePathParams } from '#test/support/route-samples';

/**
 * Every machine route (the route table's routes flagged `machine`, under
 * `/api/machine`) against every kind of key and non-key. Requests carry only
 * path parameters, so the answer depends on who calls, not on what they send.
 */
let api: TestApi;
let admin: Person;
let outsider: Person;
let workspaceId: string;
const keys: Record<string, string> = {};
const machine = routeEntries.filter(([name]) => machineRouteNames(Object.fromEntries(routeEntries)).includes(name));

async function key(owner: Person, ws: string, name: string, scope: string[]) {
  const created = await owner.call('createApiKey', { params: { workspaceId: ws }, body: { name, routes: scope } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('keys-admin');
  outsider = await api.person('keys-outsider');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Keyed' } })).body.id;
  const otherId = (await outsider.call('createWorkspace', { body: { name: 'Elsewhere' } })).body.id;
  const all = machine.map(([name]) => name);
  keys.full = (await key(admin, workspaceId, 'Full', all)).apiKey;
  keys.otherWorkspace = (await key(outsider, otherId, 'Foreign', all)).apiKey;
  const revoked = await key(admin, workspaceId, 'Revoked', all);
  keys.revoked = revoked.apiKey;
  expect((await admin.call('revokeApiKey', { params: { workspaceId, keyId: revoked.key.id } })).status).toBe(200);
  for (const [name] of machine) {
    const others = all.filter((other) => other !== name);
    keys[`without ${name}`] = (await key(admin, workspaceId, `Without ${name}`, others)).apiKey;
  }
});
afterAll(async () => {
  await api.close();
});

type Expectation = 401 | 403 | 404 | 'allowed';

describe('the machine routes', () => {
  it('exist for every route flagged machine, and only for those', () => {
    expect(machine.length).toBeGreaterThanOrEqual(4);
    for (const [name, route] of machine) expect((route as AnyRoute & { machine?: boolean }).machine, name).toBe(true);
  });

  it('answer each kind of caller as the key allows, and never another workspace', async () => {
    const failures: string[] = [];
    for (const [name, route] of machine) {
      const path = pathOf({ ...route, path: machinePath(route) } as AnyRoute, samplePathParams(route, workspaceId));
      const cases: Array<[string, Record<string, string>, Expectation]> = [
        ['no key', {}, 401],
        ['a person’s token', { authorization: `Bearer ${admin.token}` }, 401],
        ['a token in the key header', { [apiKeyHeader]: admin.token }, 401],
        ['a malformed key', { [apiKeyHeader]: 'acc_not-a-key' }, 401],
        ['a forged secret', { [apiKeyHeader]: `${keys.full?.slice(0, -43)}${'A'.repeat(43)}` }, 401],
        ['a revoked key', { [apiKeyHeader]: keys.revoked ?? '' }, 401],
        ['another workspace’s key', { [apiKeyHeader]: keys.otherWorkspace ?? '' }, 404],
        ['a key without the route', { [apiKeyHeader]: keys[`without ${name}`] ?? '' }, 403],
        ['a key with the route', { [apiKeyHeader]: keys.full ?? '' }, 'allowed'],
      ];
      for (const [who, headers, expected] of cases) {
        const answer = await api.raw(route.method, path, { headers });
        const ok =
          expected === 'allowed'
            ? answer.status !== 401 && answer.status !== 403 && answer.status < 500
            : answer.status === expected;
        if (!ok) failures.push(`${who} → ${name} got ${answer.status}, expected ${expected}`);
        if (answer.status >= 400) expect(answer.body, `${who} → ${name}`).toMatchObject({ error: expect.any(String) });
      }
    }
    expect(failures).toEqual([]);
  });

  it('are not served for a route that is not flagged, whatever key is sent', async () => {
    const unflagged = routeEntries.filter(([name]) => !machine.some(([flagged]) => flagged === name));
    for (const [name, route] of unflagged.filter(([, route]) => route.path.startsWith('/workspaces/{workspaceId}'))) {
      const path = pathOf({ ...route, path: machinePath(route) } as AnyRoute, samplePathParams(route, workspaceId));
      const answer = await api.raw(route.method, path, { headers: { [apiKeyHeader]: keys.full ?? '' } });
      expect(answer.status, name as RouteName).toBe(404);
    }
  });
});
