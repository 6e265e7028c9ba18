import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberFunctions, memberRoles } from '../../functions/domain/members';
import { counterAttribute } from '../../functions/store/limits';
import { type Person, startApi, type TestApi, uniqueEmail } from '../support/api';
import { routeEntries } from '../support/route-samples';
import { partitionItems } from '../support/snapshot';

let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('race-admin');
  workspaceId = (await admin.post('/workspaces', { name: 'Racing Ltd' })).body.id;
});
afterAll(async () => {
  await api.close();
});

const writers = 50;

/** Routes whose body carries the version the change was based on: the optimistic-concurrency routes. */
const versionedRoutes = routeEntries.filter(([, route]) => {
  const shape = (route.body as { shape?: Record<string, unknown> } | undefined)?.shape;
  return (
    Boolean(shape && 'expectedVersion' in shape) ||
    Boolean((route.query as { shape?: Record<string, unknown> } | undefined)?.shape?.expectedVersion)
  );
});

/** Exact aggregates kept on the workspace item, recounted from the records themselves. */
async function aggregates() {
  const items = await partitionItems(workspaceId);
  const workspace = items.find((item) => item.sk === 'WORKSPACE') ?? {};
  const members = items.filter((item) => item.type === 'Member');
  return {
    adminCount: workspace.adminCount,
    admins: members.filter((member) => member.role === 'admin').length,
    memberCount: workspace[counterAttribute('members')],
    members: members.length,
  };
}

describe('no lost updates', () => {
  it('lets exactly one of 50 concurrent writers win each version of a member; the rest get 409 with the current item', async () => {
    const email = uniqueEmail('contested');
    await admin.post(`/workspaces/${workspaceId}/members`, { email, function: 'sales', role: 'rep' });
    const path = `/workspaces/${workspaceId}/members/${encodeURIComponent(email)}`;
    const rounds = 3;
    for (let version = 1; version <= rounds; version++) {
      const submitted = Array.from({ length: writers }, (_, i) => ({
        function: memberFunctions[i % memberFunctions.length],
        role: memberRoles[(i + version) % memberRoles.length],
        expectedVersion: version,
      }));
      const responses = await Promise.all(submitted.map((body) => admin.patch(path, body)));
      const winners = responses.filter((r) => r.status === 200);
      const losers = responses.filter((r) => r.status === 409);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(writers - 1);
      for (const loser of losers) {
        expect(loser.body.details.current.version).toBeGreaterThanOrEqual(version);
      }
      const stored = (await admin.get(`/workspaces/${workspaceId}/members?limit=200`)).body.members.find(
        (m: { email: string }) => m.email === email,
      );
      const winnerBody = submitted[responses.indexOf(winners[0] as (typeof responses)[number])];
      expect(stored).toMatchObject({ function: winnerBody?.function, role: winnerBody?.role, version: version + 1 });
      const counts = await aggregates();
      expect(counts.adminCount).toBe(counts.admins);
      expect(counts.memberCount).toBe(counts.members);
    }
    console.log(
      `no lost updates: ${rounds} versions × ${writers} concurrent writers → 1 winner and ${writers - 1} × 409 each; ` +
        `versioned routes in the table: ${versionedRoutes.map(([name]) => name).join(', ')}`,
    );
  });

  it('keeps the admin count exact when admins are promoted and demoted concurrently', async () => {
    const emails = Array.from({ length: 10 }, (_, i) => uniqueEmail(`flip${i}`));
    for (const email of emails)
      await admin.post(`/workspaces/${workspaceId}/members`, { email, function: 'finance', role: 'manager' });
    const responses = await Promise.all(
      emails.flatMap((email) =>
        ['admin', 'rep', 'admin'].map((role) =>
          admin.patch(`/workspaces/${workspaceId}/members/${encodeURIComponent(email)}`, { role, expectedVersion: 1 }),
        ),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(emails.length);
    expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const counts = await aggregates();
    expect(counts.adminCount).toBe(counts.admins);
    expect(counts.memberCount).toBe(counts.members);
  });

  it('removes a member once when 50 remove it at the same time', async () => {
    const email = uniqueEmail('removed');
    await admin.post(`/workspaces/${workspaceId}/members`, { email, function: 'sales', role: 'rep' });
    const path = `/workspaces/${workspaceId}/members/${encodeURIComponent(email)}?expectedVersion=1`;
    const responses = await Promise.all(Array.from({ length: writers }, () => admin.delete(path)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.every((r) => [200, 404, 409].includes(r.status))).toBe(true);
    const counts = await aggregates();
    expect(counts.memberCount).toBe(counts.members);
    const audit = (await partitionItems(workspaceId)).filter(
      (i) => i.type === 'AuditEvent' && i.action === 'member.removed' && i.entityId === email,
    );
    expect(audit).toHaveLength(1);
  });
});
