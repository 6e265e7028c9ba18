import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signInAs, startApi, type TestApi, tripsOf, uniqueEmail } from '#test/support/api';
import { auditEvents, countOf, partitionItems } from '#test/support/snapshot';

let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('idem-admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Idempotent Pumps' } })).body.id;
});
afterAll(async () => {
  await api.close();
});

const item = (code: string) => ({ code, name: `Pump ${code}`, kind: 'product' as const, unit: 'unit' });
const withKey = (person: Person, path: string, body: unknown, key: string) =>
  person.request('POST', path, body, { 'idempotency-key': key });

describe('idempotent creates', () => {
  it('turns 20 concurrent retries of one POST with one key into one record and one answer', async () => {
    const key = crypto.randomUUID();
    const path = `/workspaces/${workspaceId}/portfolio-items`;
    const responses = await Promise.all(Array.from({ length: 20 }, () => withKey(admin, path, item('IDEM-1'), key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const replayed = responses.filter((r) => r.headers.get('idempotency-replayed') === 'true').length;
    expect(replayed).toBe(19);

    const stored = await partitionItems(workspaceId);
    expect(stored.filter((i) => i.type === 'PortfolioItem' && i.code === 'IDEM-1')).toHaveLength(1);
    const audit = await auditEvents(workspaceId);
    expect(audit.filter((i) => i.type === 'AuditEvent' && i.action === 'portfolioItem.created')).toHaveLength(1);
    console.log(
      `idempotency: 20 concurrent retries → ${ids.size} record, ${replayed} replayed answers, statuses ${[...new Set(statuses)]}`,
    );

    const later = await withKey(admin, path, item('IDEM-1'), key);
    expect(later.status).toBe(201);
    expect(later.body.id).toBe([...ids][0]);
  });

  it('refuses the same key with a different body with 422, writing nothing', async () => {
    const key = crypto.randomUUID();
    const path = `/workspaces/${workspaceId}/portfolio-items`;
    expect((await withKey(admin, path, item('IDEM-2'), key)).status).toBe(201);
    const before = countOf(await partitionItems(workspaceId), 'PortfolioItem');
    const other = await withKey(admin, path, item('IDEM-3'), key);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: 'IdempotencyKeyReused', message: expect.stringContaining('Idempotency-Key') });
    expect(countOf(await partitionItems(workspaceId), 'PortfolioItem')).toBe(before);
  });

  it('scopes keys to the caller: another person with the same key is not answered with the first person’s response', async () => {
    const key = crypto.randomUUID();
    const first = await withKey(admin, '/workspaces', { name: 'Keyed Co' }, key);
    expect(first.status).toBe(201);
    const stranger = await api.person('idem-stranger');
    const second = await withKey(stranger, '/workspaces', { name: 'Keyed Co' }, key);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.you.email).toBe(stranger.email);
  });

  it('creates one workspace from concurrent retries of a create without a workspace in the path', async () => {
    const person = await api.person('idem-founder');
    const key = crypto.randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => withKey(person, '/workspaces', { name: 'Once Ltd' }, key)),
    );
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect((await person.call('getMe')).body.workspaces).toHaveLength(1);
  });

  it('does not keep a failed answer: a retry after a refused create runs again', async () => {
    const key = crypto.randomUUID();
    const path = `/workspaces/${workspaceId}/portfolio-items`;
    expect((await admin.call('createPortfolioItem', { params: { workspaceId }, body: item('IDEM-4') })).status).toBe(201);
    const clash = await withKey(admin, path, item('IDEM-4'), key);
    expect(clash.status).toBe(409);
    const again = await withKey(admin, path, item('IDEM-4'), key);
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotency-replayed')).toBeNull();
  });

  it('refuses a malformed key naming the header', async () => {
    const response = await withKey(admin, `/workspaces/${workspaceId}/portfolio-items`, item('IDEM-5'), 'x'.repeat(300));
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'header.idempotency-key', message: expect.any(String) }]);
  });
});

describe('the claim of a key rides with the membership check', () => {
  const claims = async () => (await partitionItems(workspaceId)).filter((i) => i.type === 'IdempotencyRecord').length;

  it('costs a keyed create one round trip more than an unkeyed one: the stored answer, not the claim', async () => {
    const path = `/workspaces/${workspaceId}/portfolio-items`;
    const plain = await admin.request('POST', path, item('TRIP-1'));
    const keyed = await withKey(admin, path, item('TRIP-2'), crypto.randomUUID());
    expect([plain.status, keyed.status]).toEqual([201, 201]);
    expect(tripsOf(keyed)).toBe(tripsOf(plain) + 1);
  });

  it('lets no stranger write a claim into a workspace, whatever key they send', async () => {
    const stranger = await api.person('idem-claim-stranger');
    const before = await claims();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        withKey(stranger, `/workspaces/${workspaceId}/portfolio-items`, item('STRANGE'), crypto.randomUUID()),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(await claims()).toBe(before);
  });

  it('keeps no claim of a member whose role the route does not admit', async () => {
    const email = uniqueEmail('idem-rep');
    await admin.call('inviteMember', {
      params: { workspaceId },
      body: { email, name: 'idem-rep', function: 'sales', role: 'rep' },
    });
    const rep = await signInAs(api, email, 'idem-rep');
    expect((await rep.call('getWorkspace', { params: { workspaceId } })).status).toBe(200);
    const before = await claims();
    const refused = await withKey(rep, `/workspaces/${workspaceId}/portfolio-items`, item('REP-1'), crypto.randomUUID());
    expect(refused.status).toBe(403);
    expect(await claims()).toBe(before);
    expect(countOf(await partitionItems(workspaceId), 'PortfolioItem')).toBeGreaterThan(0);
    expect((await partitionItems(workspaceId)).some((i) => i.type === 'PortfolioItem' && i.code === 'REP-1')).toBe(false);
  });

  it('binds an invitee on a keyed first request and still answers a retry from the stored answer', async () => {
    const email = uniqueEmail('idem-invitee');
    await admin.call('inviteMember', {
      params: { workspaceId },
      body: { email, name: 'idem-invitee', function: 'operations', role: 'manager' },
    });
    const invitee = await signInAs(api, email, 'idem-invitee');
    const key = crypto.randomUUID();
    const path = `/workspaces/${workspaceId}/portfolio-items`;
    const first = await withKey(invitee, path, item('INVITEE-1'), key);
    expect(first.status).toBe(201);
    const retry = await withKey(invitee, path, item('INVITEE-1'), key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
  });

  it('writes nothing when an earlier answer is replayed, though the route read beside the claim', async () => {
    const key = crypto.randomUUID();
    const path = `/workspaces/${workspaceId}/portfolio-items`;
    expect((await withKey(admin, path, item('REPLAY-1'), key)).status).toBe(201);
    const before = await partitionItems(workspaceId);
    const replays = await Promise.all(Array.from({ length: 10 }, () => withKey(admin, path, item('REPLAY-1'), key)));
    expect(replays.every((r) => r.status === 201 && r.headers.get('idempotency-replayed') === 'true')).toBe(true);
    expect(await partitionItems(workspaceId)).toEqual(before);
  });
});

describe('a replayed answer whose route, run again, stops before writing', () => {
  it('leaves no refusal of the route’s writes unhandled', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const key = crypto.randomUUID();
      const path = `/workspaces/${workspaceId}/members`;
      const body = { email: uniqueEmail('idem-replayed'), name: 'Replayed Invitee', function: 'sales', role: 'rep' };
      const first = await withKey(admin, path, body, key);
      expect(first.status).toBe(201);
      // Each replay's invitation finds the member invited and refuses before it writes: its gate is never awaited.
      const replays = await Promise.all(Array.from({ length: 5 }, () => withKey(admin, path, body, key)));
      expect(replays.map((r) => [r.status, r.headers.get('idempotency-replayed')])).toEqual(
        Array.from({ length: 5 }, () => [201, 'true']),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
