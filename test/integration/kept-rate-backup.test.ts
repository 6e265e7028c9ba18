import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll, startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Kept Backup Pumps');
});
afterAll(async () => {
  await api.close();
});

type Scope = 'item' | 'rep' | 'band' | 'cycle' | 'workspace';

async function keptRate(workspaceId: string, scope: Scope, scopeId: string | undefined) {
  const answer = await team.admin.call('getPromiseKeptRate', {
    params: { workspaceId },
    query: { scope, ...(scopeId ? { scopeId } : {}), from: daysFromToday(-21), to: daysFromToday(21) },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

describe('kept rates in a workspace backup', () => {
  it('restores the counters, so the restored workspace reports the same kept rates', async () => {
    const on = await agreedItem(team, 'KEPT-BK');
    const kept = await seedCommitment(team, on, { promisedDate: daysFromToday(5), quantity: 4 });
    const partial = await seedCommitment(team, on, { promisedDate: daysFromToday(6), quantity: 10 });
    const late = await seedCommitment(team, on, { promisedDate: daysFromToday(-3), quantity: 2 });
    const missed = await seedCommitment(team, on, { promisedDate: daysFromToday(-10), quantity: 3 });
    const deliveries = [
      [kept, { date: today(), quantity: 4 }],
      [partial, { date: today(), quantity: 6 }],
      [late, { date: today(), quantity: 2 }],
      [missed, { date: today(), missed: true as const, reason: 'transport' as const }],
    ] as const;
    for (const [commitment, body] of deliveries) {
      const answer = await team.ops.call('recordDelivery', {
        params: { workspaceId: team.workspaceId, itemId: commitment.itemId, commitmentId: commitment.id },
        body,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    const scopes: Array<[Scope, string | undefined]> = [
      ['item', on.item.id],
      ['rep', team.rep.email],
      ['band', 'standard'],
      ['cycle', on.cycle.id],
      ['workspace', undefined],
    ];
    const before = await Promise.all(scopes.map(([scope, id]) => keptRate(team.workspaceId, scope, id)));
    // Worked out by hand: one of four kept, one partial, one late, one missed.
    expect(before[0]?.totals).toMatchObject({ settled: 4, keptToPromised: 1, partial: 1, late: 1, missed: 1, toPromised: 0.25 });

    const exported = await exportAll(team.admin, team.workspaceId);
    expect(exported.status).toBe(200);
    const counters = exported.body.records.filter((record: { type: string }) => record.type === 'KeptCounter');
    // Four promised weeks at most, five scopes each; every counter names its scope.
    expect(counters.length).toBeGreaterThanOrEqual(5);
    expect(new Set(counters.map((record: { scope: string }) => record.scope))).toEqual(
      new Set(['item', 'rep', 'band', 'cycle', 'workspace']),
    );

    const restored = await team.admin.call('restoreWorkspace', { body: exported.body });
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    const targetId = restored.body.workspaceId;
    expect(restored.body.byType.KeptCounter).toBe(counters.length);
    for (const [index, [scope, id]] of scopes.entries()) {
      const after = await keptRate(targetId, scope, id);
      expect(after.totals, scope).toEqual(before[index]?.totals);
      expect(after.weeks, scope).toEqual(before[index]?.weeks);
      expect(after.scopeId, scope).toBe(scope === 'workspace' ? targetId : id);
    }
    // The restored counters are the restored workspace's own: a delivery there adds to them, not to the source's.
    const open = await seedCommitment({ ...team, workspaceId: targetId }, on, { promisedDate: daysFromToday(5), quantity: 1 });
    const more = await team.ops.call('recordDelivery', {
      params: { workspaceId: targetId, itemId: on.item.id, commitmentId: open.id },
      body: { date: today(), quantity: 1 },
    });
    expect(more.status, JSON.stringify(more.body)).toBe(201);
    expect((await keptRate(targetId, 'item', on.item.id)).totals).toMatchObject({ settled: 5, keptToPromised: 2 });
    expect((await keptRate(team.workspaceId, 'item', on.item.id)).totals).toMatchObject({ settled: 4, keptToPromised: 1 });
  });
});
