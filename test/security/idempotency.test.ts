import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
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
