import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterAttribute } from '#contract/limits';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';
import { demoTerms } from '#scripts/fixtures/terms';
import { type Person, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { routeEntries } from '#test/support/route-samples';
import { auditEvents, partitionItems } from '#test/support/snapshot';

let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('race-admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Racing Ltd' } })).body.id;
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
    await admin.call('inviteMember', { params: { workspaceId }, body: { email, function: 'sales', role: 'rep' } });
    const rounds = 3;
    for (let version = 1; version <= rounds; version++) {
      const submitted = Array.from({ length: writers }, (_, i) => ({
        function: memberFunctions[i % memberFunctions.length],
        role: memberRoles[(i + version) % memberRoles.length],
        expectedVersion: version,
      }));
      const responses = await Promise.all(
        submitted.map((body) => admin.call('updateMember', { params: { workspaceId, email }, body })),
      );
      const winners = responses.filter((r) => r.status === 200);
      const losers = responses.filter((r) => r.status === 409);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(writers - 1);
      for (const loser of losers) {
        expect(loser.body.details.current.version).toBeGreaterThanOrEqual(version);
      }
      const stored = (await admin.call('listMembers', { params: { workspaceId }, query: { limit: 200 } })).body.members.find(
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
      await admin.call('inviteMember', { params: { workspaceId }, body: { email, function: 'finance', role: 'manager' } });
    const responses = await Promise.all(
      emails.flatMap((email) =>
        (['admin', 'rep', 'admin'] as const).map((role) =>
          admin.call('updateMember', { params: { workspaceId, email: email }, body: { role, expectedVersion: 1 } }),
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
    await admin.call('inviteMember', { params: { workspaceId }, body: { email, function: 'sales', role: 'rep' } });
    const responses = await Promise.all(
      Array.from({ length: writers }, () =>
        admin.call('removeMember', { params: { workspaceId, email }, query: { expectedVersion: 1 } }),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.every((r) => [200, 404, 409].includes(r.status))).toBe(true);
    const counts = await aggregates();
    expect(counts.memberCount).toBe(counts.members);
    const audit = (await auditEvents(workspaceId)).filter(
      (i) => i.type === 'AuditEvent' && i.action === 'member.removed' && i.entityId === email,
    );
    expect(audit).toHaveLength(1);
  });
  it('lets exactly one of 50 concurrent edits of one threshold version win; the rest get 409 and nothing is lost', async () => {
    const year = new Date().getUTCFullYear();
    const cycle = await admin.call('createCycle', {
      params: { workspaceId },
      body: {
        name: 'Race cycle',
        startDate: `${year}-01-01`,
        endDate: `${year}-12-31`,
      },
    });
    expect(cycle.status).toBe(201);
    const item = await admin.call('createPortfolioItem', {
      params: { workspaceId },
      body: {
        code: 'RACE-1',
        name: 'Contested pump',
        kind: 'product',
        unit: 'unit',
      },
    });
    expect(item.status).toBe(201);
    const base = demoTerms('RACE-1', 'product', 0);
    const first = await admin.call('saveThreshold', {
      params: { workspaceId, cycleId: cycle.body.id, itemId: item.body.id },
      body: { terms: base, expectedVersion: null },
    });
    expect(first.status).toBeLessThan(300);

    const submitted = Array.from({ length: writers }, (_, i) => ({
      terms: { ...base, capacityPerWeek: 100 + i },
      expectedVersion: 1,
    }));
    const responses = await Promise.all(
      submitted.map((body) =>
        admin.call('saveThreshold', { params: { workspaceId, cycleId: cycle.body.id, itemId: item.body.id }, body }),
      ),
    );
    const winners = responses.filter((r) => r.status < 300);
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(writers - 1);
    const winner = submitted[responses.indexOf(winners[0] as (typeof responses)[number])];
    const stored = await admin.call('getThreshold', { params: { workspaceId, cycleId: cycle.body.id, itemId: item.body.id } });
    expect(JSON.stringify(stored.body)).toContain(`"capacityPerWeek":${winner?.terms.capacityPerWeek}`);
    const versions = (await partitionItems(workspaceId, undefined, undefined, `#ITEM#${item.body.id}`)).filter(
      (record) => record.type === 'ThresholdVersion',
    );
    expect(versions).toHaveLength(2);
    console.log(`no lost updates: one threshold, ${writers} concurrent edits of version 1 → 1 new version, ${writers - 1} × 409`);
  });

  it('lets exactly one of 50 concurrent edits of one misalignment issue win, with its aggregates exact', async () => {
    const issue = await admin.call('createMisalignmentIssue', {
      params: { workspaceId },
      body: {
        title: 'Contested issue',
        category: 'lead time',
      },
    });
    expect(issue.status).toBe(201);
    const occurrences = Array.from({ length: 10 }, (_, i) =>
      admin.call('logOccurrence', {
        params: { workspaceId, issueId: issue.body.id },
        body: {
          occurredOn: '2026-03-02',
          reference: `race ${i}`,
          detectedAt: 'delivery',
          cost: { 'expedite fees': 100 + i },
          currency: 'EUR',
        },
      }),
    );
    const edits = Array.from({ length: writers }, (_, i) =>
      admin.call('updateMisalignmentIssue', {
        params: { workspaceId, issueId: issue.body.id },
        body: { title: `Edited by writer ${i}`, expectedVersion: 1 },
      }),
    );
    const [occurrenceResponses, editResponses] = await Promise.all([Promise.all(occurrences), Promise.all(edits)]);
    expect(occurrenceResponses.every((r) => r.status === 201)).toBe(true);
    const winners = editResponses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(editResponses.filter((r) => r.status === 409)).toHaveLength(writers - 1);
    const stored = (await admin.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.body.id } })).body;
    const winnerIndex = editResponses.indexOf(winners[0] as (typeof editResponses)[number]);
    expect(JSON.stringify(stored)).toContain(`Edited by writer ${winnerIndex}`);
    expect(JSON.stringify(stored)).toContain('"occurrenceCount":10');
    console.log(
      `no lost updates: one issue, ${writers} concurrent edits → 1 winner, ${writers - 1} × 409; 10 occurrences counted exactly`,
    );
  });
});
