import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader } from '#contract/machine';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agreedItem } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { dynamo, tableName } from '#test/support/table';

/**
 * Workspace API keys attacked from outside: who may make them, what they may
 * name, a key racing its own rate limit and its revocation, a key used where
 * it does not belong, and whether its secret is ever seen or stored again.
 */
let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let on: Awaited<ReturnType<typeof agreedItem>>;

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Key Attack');
  other = await planningTeam(api, 'Key Elsewhere');
  on = await agreedItem(team, 'KA-1');
});
afterAll(async () => {
  await api.close();
});

const create = (who: Person, body: Record<string, unknown>, workspaceId = team.workspaceId, headers?: Record<string, string>) =>
  who.callRaw('createApiKey', { params: { workspaceId }, body, headers });

async function newKey(routes: string[], requestsPerMinute = 600) {
  const created = await create(team.admin, { name: `Key ${crypto.randomUUID().slice(0, 6)}`, routes, requestsPerMinute });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { key: { id: string }; apiKey: string };
}

const machineGet = (apiKey: string, path: string) =>
  api.raw('GET', `/api/machine${path}`, { headers: { [apiKeyHeader]: apiKey } });
const catalogueItem = (workspaceId = team.workspaceId, itemId = on.item.id) => `/workspaces/${workspaceId}/catalogue/${itemId}`;

/** Every stored item of the table that holds the text anywhere. */
async function storedWith(text: string) {
  const found: unknown[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey: cursor }));
    for (const item of page.Items ?? []) if (JSON.stringify(item).includes(text)) found.push(item);
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return found;
}

/** Waits out the end of a minute, so a burst stays inside one fixed rate-limit window. */
async function awayFromMinuteEdge() {
  const second = new Date().getUTCSeconds();
  if (second >= 50) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
}

describe('who makes keys, and what a key may name', () => {
  it('refuses a sales manager, an operations manager, a rep and an outsider', async () => {
    const body = { name: 'Sneaky', routes: ['promiseCheck'] };
    for (const who of [team.sales, team.ops, team.rep]) expect((await create(who, body)).status, who.email).toBe(403);
    expect((await create(other.admin, body)).status).toBe(404);
    const listed = await team.admin.call('listApiKeys', { params: { workspaceId: team.workspaceId }, query: { limit: 200 } });
    expect(JSON.stringify(listed.body)).not.toContain('Sneaky');
  });

  it('refuses routes that are not machine routes, too many routes, and limits out of bounds, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'A', routes: ['approveCommitment'] }, /body\.routes/],
      [{ name: 'A', routes: ['createApiKey'] }, /body\.routes/],
      [{ name: 'A', routes: ['declineCommitment', 'promiseCheck'] }, /body\.routes/],
      [{ name: 'A', routes: ['constructor'] }, /body\.routes/],
      [{ name: 'A', routes: ['__proto__'] }, /body\.routes/],
      [{ name: 'A', routes: Array.from({ length: 21 }, () => 'promiseCheck') }, /body\.routes/],
      [{ name: 'A', routes: [] }, /body\.routes/],
      [{ name: 'A', routes: ['promiseCheck'], requestsPerMinute: 601 }, /body\.requestsPerMinute/],
      [{ name: 'A', routes: ['promiseCheck'], requestsPerMinute: 0 }, /body\.requestsPerMinute/],
      [{ name: 'A', routes: ['promiseCheck'], requestsPerMinute: 1.5 }, /body\.requestsPerMinute/],
    ];
    for (const [body, names] of cases) {
      const answer = await create(team.admin, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(names);
    }
  });
});

describe('a key where it does not belong', () => {
  it('is 403 on a machine route outside its scope and 404 on another workspace, reading nothing', async () => {
    const { apiKey } = await newKey(['listCatalogue']);
    const outside = await machineGet(apiKey, `${catalogueItem()}/promise-check?quantity=1&leadTimeDays=12`);
    expect(outside.status).toBe(403);
    expect(outside.body).toMatchObject({ error: expect.any(String) });
    const theirs = await agreedItem(other, 'KA-THEIRS');
    const crossed = await machineGet(apiKey, `/workspaces/${other.workspaceId}/catalogue`);
    expect(crossed.status).toBe(404);
    expect(JSON.stringify(crossed.body)).not.toContain('KA-THEIRS');
    const crossedItem = await machineGet(apiKey, `/workspaces/${team.workspaceId}/catalogue/${theirs.item.id}`);
    expect([403, 404]).toContain(crossedItem.status);
    expect(JSON.stringify(crossedItem.body)).not.toContain('KA-THEIRS');
  });

  it('is refused on the people’s routes and on routes that exist only there', async () => {
    const { apiKey } = await newKey(['listCatalogue', 'getCatalogueItem', 'promiseCheck', 'recordCommitment']);
    const people = await api.raw('GET', `/api${catalogueItem()}`, { headers: { [apiKeyHeader]: apiKey } });
    expect(people.status).toBe(401);
    for (const path of [`/workspaces/${team.workspaceId}/api-keys`, `/workspaces/${team.workspaceId}/members`]) {
      const answer = await machineGet(apiKey, path);
      expect([401, 403, 404], path).toContain(answer.status);
      expect(JSON.stringify(answer.body)).not.toContain('@test.example');
    }
    const asBearer = await api.raw('GET', `/api${catalogueItem()}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(asBearer.status).toBe(401);
  });

  it('cannot revoke or list another workspace’s keys through its own path', async () => {
    const theirs = await create(other.admin, { name: 'Theirs', routes: ['listCatalogue'] }, other.workspaceId);
    expect(theirs.status).toBe(201);
    const revoke = await team.admin.callRaw('revokeApiKey', {
      params: { workspaceId: team.workspaceId, keyId: theirs.body.key.id },
    });
    expect(revoke.status).toBe(404);
    const still = await machineGet(theirs.body.apiKey, `/workspaces/${other.workspaceId}/catalogue`);
    expect(still.status).toBe(200);
  });
});

describe('racing a key', () => {
  it('lets no more than the per-minute limit through when 20 requests race, and says when to retry', async () => {
    const { apiKey } = await newKey(['listCatalogue'], 5);
    await awayFromMinuteEdge();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => machineGet(apiKey, `/workspaces/${team.workspaceId}/catalogue`)),
    );
    const through = answers.filter((answer) => answer.status === 200).length;
    expect(through).toBeLessThanOrEqual(5);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    for (const answer of limited) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.body).toMatchObject({ error: expect.any(String) });
    }
  });

  it('refuses every request once the revocation is answered, even while twins race it', async () => {
    for (let round = 0; round < 3; round++) {
      const { apiKey, key } = await newKey(['listCatalogue']);
      const [revoked] = await Promise.all([
        team.admin.callRaw('revokeApiKey', { params: { workspaceId: team.workspaceId, keyId: key.id } }),
        ...Array.from({ length: 10 }, () => machineGet(apiKey, `/workspaces/${team.workspaceId}/catalogue`)),
      ]);
      expect(revoked?.status).toBe(200);
      const after = await Promise.all(
        Array.from({ length: 10 }, () => machineGet(apiKey, `/workspaces/${team.workspaceId}/catalogue`)),
      );
      expect(after.map((answer) => answer.status)).toEqual(Array(10).fill(401));
    }
  });

  it('records one commitment when 15 twins of a key’s create carry one Idempotency-Key', async () => {
    const { apiKey } = await newKey(['promiseCheck', 'recordCommitment']);
    const item = await agreedItem(team, 'KA-IDEM');
    const checked = await team.rep.call('promiseCheck', { params: item.base, query: { quantity: 1, leadTimeDays: 12 } });
    const body = JSON.stringify({ reference: 'CRM-1001', quantity: 1, deliveryDate: checked.body.deliveryDate });
    const answers = await Promise.all(
      Array.from({ length: 15 }, () =>
        api.raw('POST', `/api/machine${catalogueItem(team.workspaceId, item.item.id)}/commitments`, {
          body,
          headers: { [apiKeyHeader]: apiKey, 'content-type': 'application/json', 'idempotency-key': 'crm-1001' },
        }),
      ),
    );
    expect(answers.every((answer) => [201, 409, 503].includes(answer.status))).toBe(true);
    const listed = await team.rep.call('listCommitments', { params: item.base, query: { limit: 200 } });
    expect(listed.body.items).toHaveLength(1);
  });
});

describe('the cap on keys', () => {
  it('holds at 50 active keys when 60 creates race in a new workspace', async () => {
    const admin = await api.person('cap-admin');
    const fresh = { admin, workspaceId: (await admin.call('createWorkspace', { body: { name: 'Key Cap' } })).body.id };
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        create(fresh.admin, { name: `K${index}`, routes: ['listCatalogue'] }, fresh.workspaceId),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(50);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused.map((answer) => answer.status)).toEqual(Array(10).fill(422));
    let listed = 0;
    let cursor: string | undefined;
    do {
      const page = await fresh.admin.call('listApiKeys', {
        params: { workspaceId: fresh.workspaceId },
        query: cursor ? { limit: 200, cursor } : { limit: 200 },
      });
      listed += page.body.items.length;
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(listed).toBe(50);
  });
});

describe('the key’s secret', () => {
  it('is seen once: not listed, not in the audit trail, not stored anywhere in the table', async () => {
    const { apiKey, key } = await newKey(['listCatalogue']);
    const secret = apiKey.slice(-43);
    expect((await machineGet(apiKey, `/workspaces/${team.workspaceId}/catalogue`)).status).toBe(200);
    const listed = await team.admin.call('listApiKeys', { params: { workspaceId: team.workspaceId }, query: { limit: 200 } });
    expect(JSON.stringify(listed.body)).toContain(key.id);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const audit = await team.admin.call('listAuditEvents', { params: { workspaceId: team.workspaceId }, query: {} });
    expect(JSON.stringify(audit.body)).not.toContain(secret);
    expect(await storedWith(secret)).toEqual([]);
  });

  it('is never kept for a replay: a create sent twice with one Idempotency-Key makes two keys, neither secret stored', async () => {
    const body = { name: 'Retried CRM', routes: ['listCatalogue'] };
    const headers = { 'idempotency-key': 'create-once' };
    const first = await create(team.admin, body, team.workspaceId, headers);
    const second = await create(team.admin, body, team.workspaceId, headers);
    expect([first.status, second.status]).toEqual([201, 201]);
    const [a, b] = [first.body, second.body] as Array<{ key: { id: string }; apiKey: string }>;
    expect(a?.key.id).not.toBe(b?.key.id);
    for (const apiKey of [a?.apiKey ?? '', b?.apiKey ?? '']) {
      expect(apiKey).toMatch(/^acc_/);
      expect(await storedWith(apiKey.slice(-43))).toEqual([]);
    }
  });

  it('is refused with 401 for a forged secret on a real key id, however many twins try', async () => {
    const { apiKey } = await newKey(['listCatalogue']);
    const forged = `${apiKey.slice(0, -43)}${'B'.repeat(43)}`;
    const answers = await Promise.all(
      Array.from({ length: 15 }, () => machineGet(forged, `/workspaces/${team.workspaceId}/catalogue`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(15).fill(401));
    expect((await machineGet(apiKey, `/workspaces/${team.workspaceId}/catalogue`)).status).toBe(200);
  });
});
