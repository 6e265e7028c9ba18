import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#contract/index';
import { apiKeyHeader } from '#contract/machine';
import { addDays } from '#contract/working-days';
import { startApi, type TestApi } from '#test/support/api';
import { type RawCallInput, routeRequest } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';

/**
 * A CRM calling Accord with a workspace API key: it checks a promise and
 * records a commitment through the machine routes of the local server, which
 * verifies the key with the code the API key authorizer runs on AWS.
 */
let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let itemId: string;
let otherItemId: string;

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Keyed Pumps');
  other = await planningTeam(api, 'Other Pumps');
  for (const [who, code] of [
    [team, 'KEY-1'],
    [other, 'KEY-2'],
  ] as const) {
    const item = await createItem(who, code);
    const cycle = await createCycle(who);
    await agree(who, cycle.id, item.id);
    if (who === team) itemId = item.id;
    else otherItemId = item.id;
  }
});
afterAll(async () => {
  await api.close();
});

/** A call of a machine route with a key, as a CRM makes it: `/api/machine/…` and the key header, no token. */
function machineCall(key: string | undefined, name: RouteName, input: RawCallInput) {
  const { method, path, body } = routeRequest(name, input);
  return api.raw(method, `/api/machine${path}`, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      ...(key === undefined ? {} : { [apiKeyHeader]: key }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
}

async function createKey(body: { name: string; routes: string[]; requestsPerMinute?: number }, owner = team) {
  const created = await owner.admin.call('createApiKey', { params: { workspaceId: owner.workspaceId }, body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

describe('a CRM with a workspace API key', () => {
  it('checks a promise and records a commitment, both audited under the key’s name', async () => {
    const { key, apiKey } = await createKey({ name: 'Pipeline CRM', routes: ['promiseCheck', 'recordCommitment'] });
    expect(apiKey).toMatch(/^acc_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'Pipeline CRM', routes: ['promiseCheck', 'recordCommitment'], revokedAt: null });
    expect(JSON.stringify(key)).not.toContain(apiKey.slice(-43));

    const params = { workspaceId: team.workspaceId, itemId };
    const check = await machineCall(apiKey, 'promiseCheck', { params, query: { quantity: 4, leadTimeDays: 15 } });
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.band).toBe('standard');

    const recorded = await machineCall(apiKey, 'recordCommitment', {
      params,
      body: { reference: 'CRM order 1001', quantity: 4, deliveryDate: check.body.deliveryDate },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body.commitment).toMatchObject({
      reference: 'CRM order 1001',
      recordedBy: `${key.id}@api-keys.invalid`,
      recordedByName: 'API key Pipeline CRM',
    });
    // The commitment is there for people too, and takes its capacity.
    const listed = await team.rep.call('listCommitments', { params });
    expect(listed.body.items.map((c: { reference: string }) => c.reference)).toContain('CRM order 1001');

    const audit = await team.admin.call('listAuditEvents', {
      params: { workspaceId: team.workspaceId },
      query: { actor: `${key.id}@api-keys.invalid` },
    });
    expect(audit.status).toBe(200);
    const events = audit.body.events.map((event) => [event.action, event.actorName]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['apiKey.used', 'API key Pipeline CRM'],
        ['commitment.recorded', 'API key Pipeline CRM'],
      ]),
    );
    const uses = audit.body.events.filter((event) => event.action === 'apiKey.used');
    expect(uses).toHaveLength(2);
    expect(uses.map((event) => (event.after as { route: string }).route).sort()).toEqual([
      '/workspaces/{workspaceId}/catalogue/{itemId}/commitments',
      '/workspaces/{workspaceId}/catalogue/{itemId}/promise-check',
    ]);
  });

  it('is refused a route outside its scope (403) and writes nothing there', async () => {
    const { apiKey } = await createKey({ name: 'Read-only CRM', routes: ['promiseCheck'] });
    const params = { workspaceId: team.workspaceId, itemId };
    const refused = await machineCall(apiKey, 'recordCommitment', {
      params,
      body: { reference: 'Not allowed', quantity: 1, deliveryDate: addDays(new Date().toISOString().slice(0, 10), 60) },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'Forbidden', message: expect.stringContaining('Read-only CRM') });
    const listed = await team.rep.call('listCommitments', { params });
    expect(listed.body.items.map((c: { reference: string }) => c.reference)).not.toContain('Not allowed');
    // A route that is no machine route has no machine path at all.
    const members = await api.raw('GET', `/api/machine/workspaces/${team.workspaceId}/members`, {
      headers: { [apiKeyHeader]: apiKey },
    });
    expect(members.status).toBe(404);
  });

  it('never reaches another workspace, and is no person’s token either', async () => {
    const { apiKey } = await createKey({ name: 'Nosy CRM', routes: ['promiseCheck', 'getCatalogueItem'] });
    const elsewhere = await machineCall(apiKey, 'getCatalogueItem', {
      params: { workspaceId: other.workspaceId, itemId: otherItemId },
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual({ error: 'NotFound', message: 'Workspace not found' });
    expect(JSON.stringify(elsewhere.body)).not.toContain('KEY-2');
    // The other workspace's own item through this workspace's path is not found either.
    const crossed = await machineCall(apiKey, 'getCatalogueItem', {
      params: { workspaceId: team.workspaceId, itemId: otherItemId },
    });
    expect(crossed.status).toBe(404);
    // A key is not a bearer token on the routes people call, and a token is not a key.
    const asBearer = await api.raw('GET', `/api/workspaces/${team.workspaceId}/catalogue/${itemId}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(asBearer.status).toBe(401);
    const tokenAsKey = await machineCall(team.admin.token, 'getCatalogueItem', {
      params: { workspaceId: team.workspaceId, itemId },
    });
    expect(tokenAsKey.status).toBe(401);
    const noKey = await machineCall(undefined, 'getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId } });
    expect(noKey.status).toBe(401);
  });

  it('is refused with 401 from the moment it is revoked, and a wrong secret never works', async () => {
    const { key, apiKey } = await createKey({ name: 'Old CRM', routes: ['getCatalogueItem'] });
    const params = { workspaceId: team.workspaceId, itemId };
    expect((await machineCall(apiKey, 'getCatalogueItem', { params })).status).toBe(200);
    const wrongSecret = `${apiKey.slice(0, -4)}${apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await machineCall(wrongSecret, 'getCatalogueItem', { params })).status).toBe(401);

    const revoked = await team.admin.call('revokeApiKey', { params: { workspaceId: team.workspaceId, keyId: key.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: key.id, revokedBy: team.admin.email });
    const after = await machineCall(apiKey, 'getCatalogueItem', { params });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: 'Unauthorized' });
    const again = await team.admin.call('revokeApiKey', { params: { workspaceId: team.workspaceId, keyId: key.id } });
    expect(again.status).toBe(409);
    // Another workspace's admin cannot revoke it, nor learn it exists.
    const { key: live } = await createKey({ name: 'Live CRM', routes: ['getCatalogueItem'] });
    const foreign = await other.admin.call('revokeApiKey', { params: { workspaceId: other.workspaceId, keyId: live.id } });
    expect(foreign.status).toBe(404);
  });

  it('is limited per key: past its requests per minute 429 with Retry-After, other keys unaffected', async () => {
    const { apiKey } = await createKey({ name: 'Chatty CRM', routes: ['getCatalogueItem'], requestsPerMinute: 3 });
    const { apiKey: calm } = await createKey({ name: 'Calm CRM', routes: ['getCatalogueItem'], requestsPerMinute: 3 });
    const params = { workspaceId: team.workspaceId, itemId };
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof machineCall>> | undefined;
    // Two windows hold at most six calls: the seventh is refused whenever the minute turns.
    while (!limited && statuses.length < 7) {
      const answer = await machineCall(apiKey, 'getCatalogueItem', { params });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(6);
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited?.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited?.body).toMatchObject({ error: 'TooManyRequests', details: { limit: 'apiKey.requestsPerMinute', max: 3 } });
    expect((await machineCall(calm, 'getCatalogueItem', { params })).status).toBe(200);
  });
});

describe('a CRM taking orders and an ERP sending deliveries, each with a key of its own', () => {
  it('records an order by key, then imports and records its deliveries by key, as operations there and nowhere else', async () => {
    const crm = await createKey({ name: 'Order CRM', routes: ['checkOrder', 'recordOrder'] });
    const erp = await createKey({ name: 'Nordwasser ERP', routes: ['importDeliveries', 'recordDelivery'] });
    const workspace = { workspaceId: team.workspaceId };
    const check = await machineCall(crm.apiKey, 'promiseCheck', {
      params: { ...workspace, itemId },
      query: { quantity: 2, leadTimeDays: 15 },
    });
    expect(check.status).toBe(403);
    const people = await team.rep.call('promiseCheck', {
      params: { ...workspace, itemId },
      query: { quantity: 2, leadTimeDays: 15 },
    });
    const date = people.body.deliveryDate;
    const order = { reference: 'CRM order 2002', date, lines: [{ itemId, quantity: 2 }] };
    const checked = await machineCall(crm.apiKey, 'checkOrder', { params: workspace, body: { date, lines: order.lines } });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    const recorded = await machineCall(crm.apiKey, 'recordOrder', { params: workspace, body: order });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const [line] = recorded.body.commitments;
    expect(line).toMatchObject({ reference: 'CRM order 2002', recordedByName: 'API key Order CRM', status: 'approved' });
    // The CRM's key is a rep's: it records orders, never deliveries.
    const byCrm = await machineCall(crm.apiKey, 'importDeliveries', { params: workspace, body: { rows: [] } });
    expect(byCrm.status).toBe(403);

    const imported = await machineCall(erp.apiKey, 'importDeliveries', {
      params: workspace,
      body: { rows: [{ reference: 'CRM order 2002', deliveryRef: 'DN-2002-1', date: people.body.today, quantity: 1 }] },
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ applied: 1, notMatched: 0 });
    const rest = await machineCall(erp.apiKey, 'recordDelivery', {
      params: { ...workspace, itemId, commitmentId: line.id },
      body: { date: people.body.today, quantity: 1 },
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body).toMatchObject({ status: 'delivered', deliveredQuantity: 2 });
    // Operations on its own routes only: the ERP's key reaches no other operations manager's route.
    const approvals = await api.raw('GET', `/api/machine/workspaces/${team.workspaceId}/commitment-approvals`, {
      headers: { [apiKeyHeader]: erp.apiKey },
    });
    expect(approvals.status).toBe(404);
    const audit = await team.admin.call('listAuditEvents', {
      params: workspace,
      query: { actor: `${erp.key.id}@api-keys.invalid` },
    });
    expect(audit.body.events.map((event) => event.action)).toEqual(
      expect.arrayContaining(['apiKey.used', 'commitment.delivered']),
    );
  });
});

describe('managing keys', () => {
  it('lets only admins create, list and revoke keys', async () => {
    const body = { name: 'Sneaky', routes: ['promiseCheck'] };
    for (const who of [team.rep, team.sales, team.ops]) {
      const created = await who.call('createApiKey', { params: { workspaceId: team.workspaceId }, body });
      expect(created.status).toBe(403);
      expect((await who.call('listApiKeys', { params: { workspaceId: team.workspaceId } })).status).toBe(403);
    }
    const listed = await team.admin.call('listApiKeys', { params: { workspaceId: team.workspaceId } });
    expect(listed.body.items.map((key) => key.name)).not.toContain('Sneaky');
  });

  it('lists keys without their secret, newest first', async () => {
    const { key, apiKey } = await createKey({ name: 'Listed ERP', routes: ['listCatalogue'] });
    const listed = await team.admin.call('listApiKeys', { params: { workspaceId: team.workspaceId }, query: { limit: 200 } });
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toMatchObject({ id: key.id, name: 'Listed ERP', hint: apiKey.slice(-4) });
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(apiKey.split('_').slice(2).join('_'));
    expect(text).not.toContain('secretHash');
    for (const item of listed.body.items) expect(Object.keys(item)).not.toContain('apiKey');
    const otherList = await other.admin.call('listApiKeys', { params: { workspaceId: other.workspaceId } });
    expect(otherList.body.items.map((k) => k.id)).not.toContain(key.id);
  });

  it('shows when a key was last used: never at first, then its last accepted request, and not a refused one', async () => {
    const { key, apiKey } = await createKey({ name: 'Used ERP', routes: ['getCatalogueItem'] });
    expect(key.lastUsedAt).toBeNull();
    const lastUsed = async () => {
      const listed = await team.admin.call('listApiKeys', { params: { workspaceId: team.workspaceId }, query: { limit: 200 } });
      return listed.body.items.find((item) => item.id === key.id)?.lastUsedAt;
    };
    expect(await lastUsed()).toBeNull();
    const before = new Date().toISOString();
    const params = { workspaceId: team.workspaceId, itemId };
    expect((await machineCall(apiKey, 'getCatalogueItem', { params })).status).toBe(200);
    const used = await lastUsed();
    expect(used).toBeTypeOf('string');
    expect(used && used >= before).toBe(true);
    // A call outside its scope is refused before the use is counted: the time stays.
    expect((await machineCall(apiKey, 'listCatalogue', { params: { workspaceId: team.workspaceId } })).status).toBe(403);
    expect(await lastUsed()).toBe(used);
    // A use never changes the key's version, so it never makes a revocation fail.
    const revoked = await team.admin.call('revokeApiKey', { params: { workspaceId: team.workspaceId, keyId: key.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ lastUsedAt: used, version: key.version + 1 });
  });

  it('refuses routes a key may not name, naming the field', async () => {
    for (const routes of [['listAuditEvents'], ['createApiKey'], ['cancelCommitment'], ['nosuchroute']]) {
      const created = await team.admin.call('createApiKey', {
        params: { workspaceId: team.workspaceId },
        body: { name: 'Too much', routes },
      });
      expect(created.status, routes[0]).toBe(400);
      expect(JSON.stringify(created.body)).toContain('body.routes');
    }
    const listed = await team.admin.call('listApiKeys', { params: { workspaceId: team.workspaceId }, query: { limit: 200 } });
    expect(listed.body.items.map((key) => key.name)).not.toContain('Too much');
  });
});
