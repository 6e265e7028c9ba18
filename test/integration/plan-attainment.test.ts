import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '#test/support/api';
import { meetingBody } from '#test/support/meetings';
import { agree, createCycle, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const fy2027 = { startDate: '2027-01-01', endDate: '2027-12-31', holidays: ['2027-01-01'] };

async function setUp(name: string, items: Array<{ code: string; family: string; threshold: 'agreed' | 'pending' | 'none' }>) {
  const team = await planningTeam(api, name);
  const cycle = await createCycle(team, `${name} FY2027`, fy2027);
  const ids: Record<string, string> = {};
  for (const { code, family, threshold } of items) {
    const created = await team.sales.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: { code, name: `Item ${code}`, kind: 'product', unit: 'unit', family },
    });
    expect(created.status).toBe(201);
    ids[code] = created.body.id;
    if (threshold === 'agreed') await agree(team, cycle.id, created.body.id);
    if (threshold === 'pending') {
      const saved = await team.ops.call('saveThreshold', {
        params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: created.body.id },
        body: { terms: pumpTerms, expectedVersion: null },
      });
      expect(saved.status).toBe(200);
    }
  }
  return { team, cycleId: cycle.id, ids, params: { workspaceId: team.workspaceId, cycleId: cycle.id } };
}

async function commit(team: PlanningTeam, itemId: string, reference: string, quantity: number, deliveryDate: string) {
  const recorded = await team.rep.call('recordCommitment', {
    params: { workspaceId: team.workspaceId, itemId },
    body: { reference, quantity, deliveryDate },
  });
  expect(recorded.status).toBe(201);
  return recorded.body.commitment;
}

describe('plan against actual', () => {
  it('sets the commitments of each item, family and period against the plan and signals the item sold far above plan', async () => {
    const setup = await setUp('Attain Pumps', [
      { code: 'HOT-1', family: 'Pumps', threshold: 'agreed' },
      { code: 'COLD-1', family: 'Pumps', threshold: 'agreed' },
      { code: 'COLD-2', family: 'Pumps', threshold: 'none' },
      { code: 'VALVE-1', family: 'Valves', threshold: 'agreed' },
    ]);
    const { team, ids, params } = setup;
    const saved = await team.sales.call('saveSalesPlan', {
      params,
      body: {
        expectedVersion: null,
        cells: [
          { code: 'HOT-1', period: '2027-01', volume: 100 },
          { code: 'COLD-1', period: '2027-01', volume: 200 },
          { code: 'COLD-2', period: '2027-02', volume: 100 },
          { code: 'VALVE-1', period: '2027-01', volume: 50 },
        ],
      },
    });
    expect(saved.status).toBe(200);
    await commit(team, ids['HOT-1'] as string, 'SO-HOT-1', 80, '2027-01-20');
    await commit(team, ids['HOT-1'] as string, 'SO-HOT-2', 60, '2027-01-27');
    await commit(team, ids['COLD-1'] as string, 'SO-COLD-1', 100, '2027-01-25');
    await commit(team, ids['VALVE-1'] as string, 'SO-VALVE-1', 60, '2027-01-26');
    // Cancelled: sold no more, so it counts nowhere.
    const cancelled = await commit(team, ids['COLD-1'] as string, 'SO-COLD-2', 50, '2027-01-28');
    const cancel = await team.rep.call('cancelCommitment', {
      params: { workspaceId: team.workspaceId, itemId: ids['COLD-1'] as string, commitmentId: cancelled.id },
      body: { expectedVersion: cancelled.version },
    });
    expect(cancel.status).toBe(200);

    // A rep reads it too; with the cycle's dates the commitments go out beside the cycle: one round trip.
    const answer = await team.rep.call('getPlanAttainment', { params, query: { from: '2027-01-01', to: '2027-12-31' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-accord-db-round-trips')).toBe('1');
    const view = answer.body;
    // 100 + 200 + 100 + 50 planned; 80 + 60 + 100 + 60 committed: 300 / 450 = 66.7 %.
    expect(view).toMatchObject({ plan: 450, committed: 300, attainmentPercent: 66.7, planVersion: 1 });
    expect(view.rule).toMatch(/130 %.*80 %/);
    const [pumps, valves] = view.families;
    expect(pumps).toMatchObject({ family: 'Pumps', plan: 400, committed: 240, attainmentPercent: 60 });
    expect(pumps?.cells[0]).toMatchObject({ period: '2027-01', plan: 300, committed: 240, attainmentPercent: 80 });
    expect(pumps?.cells[1]).toMatchObject({ period: '2027-02', plan: 100, committed: 0, attainmentPercent: 0 });
    const item = (code: string) => view.families.flatMap((family) => family.items).find((row) => row.code === code);
    expect(item('HOT-1')).toMatchObject({ plan: 100, committed: 140, attainmentPercent: 140, signalled: true });
    expect(item('COLD-1')).toMatchObject({ plan: 200, committed: 100, attainmentPercent: 50, signalled: false });
    expect(item('COLD-2')).toMatchObject({ plan: 100, committed: 0, attainmentPercent: 0, signalled: false });
    // 120 % with no other planned item in its family: no family lags behind it.
    expect(valves?.items[0]).toMatchObject({ code: 'VALVE-1', attainmentPercent: 120, signalled: false });
    // HOT-1 at 140 % while COLD-1 and COLD-2 together sold 100 of 300 (33.3 %).
    expect(view.signals).toEqual([
      expect.objectContaining({
        code: 'HOT-1',
        family: 'Pumps',
        attainmentPercent: 140,
        othersPlan: 300,
        othersCommitted: 100,
        othersPercent: 33.3,
      }),
    ]);

    // Without the dates, or with dates the cycle does not have, the commitments follow the cycle: same answer.
    const undated = await team.rep.call('getPlanAttainment', { params, query: {} });
    expect(undated.headers.get('x-accord-db-round-trips')).toBe('2');
    expect(undated.body).toEqual(view);
    const stale = await team.rep.call('getPlanAttainment', { params, query: { from: '2027-02-01', to: '2027-03-31' } });
    expect(stale.body).toEqual(view);
  });

  it('refuses dates that are not a bounded span, naming the field', async () => {
    const { team, params } = await setUp('Attain Bad', []);
    const lonely = await team.rep.callRaw('getPlanAttainment', { params, query: { from: '2027-01-01' } });
    expect(lonely.status).toBe(400);
    expect(JSON.stringify(lonely.body)).toContain('to');
    const backwards = await team.rep.callRaw('getPlanAttainment', { params, query: { from: '2027-12-31', to: '2027-01-01' } });
    expect(backwards.status).toBe(400);
    const decade = await team.rep.callRaw('getPlanAttainment', { params, query: { from: '2020-01-01', to: '2030-01-01' } });
    expect(decade.status).toBe(400);
    const unknown = await team.rep.call('getPlanAttainment', { params: { ...params, cycleId: randomUUID() }, query: {} });
    expect(unknown.status).toBe(404);
  });
});

describe('backlog proposals from the plan', () => {
  it('proposes the item planned beyond flex and the pending sign-off below plan, not the ones within normal', async () => {
    const setup = await setUp('Plan Backlog', [
      { code: 'BEYOND-1', family: 'Pumps', threshold: 'agreed' },
      { code: 'WITHIN-1', family: 'Pumps', threshold: 'agreed' },
      { code: 'SHORT-1', family: 'Valves', threshold: 'pending' },
      { code: 'ENOUGH-1', family: 'Valves', threshold: 'pending' },
    ]);
    const { team, ids, params } = setup;
    // January 2027 has 20 working days: 100 a week gives 400 of capacity, 480 with 20 % flex.
    const saved = await team.sales.call('saveSalesPlan', {
      params,
      body: {
        expectedVersion: null,
        cells: [
          { code: 'BEYOND-1', period: '2027-01', volume: 600 },
          { code: 'WITHIN-1', period: '2027-01', volume: 300 },
          { code: 'SHORT-1', period: '2027-01', volume: 450 },
          { code: 'ENOUGH-1', period: '2027-01', volume: 300 },
        ],
      },
    });
    expect(saved.status).toBe(200);

    const answer = await team.ops.call('getPlanBacklog', { params });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-accord-db-round-trips')).toBe('1');
    expect(answer.body.beyondFlex.map((proposal) => proposal.title)).toEqual(['Plan beyond flex: BEYOND-1']);
    const [beyond] = answer.body.beyondFlex;
    expect(beyond?.detail).toContain('120 planned beyond the flex band');
    expect(beyond?.detail).toContain('2027-01 (600 against 480)');
    expect(beyond?.links).toEqual({ thresholdId: ids['BEYOND-1'], thresholdVersion: 1 });
    expect(answer.body.signOffsBelowPlan).toEqual([
      expect.objectContaining({
        title: 'Sign off SHORT-1 threshold v1',
        source: { kind: 'signOff', thresholdId: ids['SHORT-1'], thresholdVersion: 1 },
        detail: expect.stringContaining('2027-01 (400 against 450)'),
      }),
    ]);

    // Reps see no capacity waiting for sign-off.
    expect((await team.rep.call('getPlanBacklog', { params })).status).toBe(403);

    // Each proposal moves into a meeting's agenda through the add-to-agenda route.
    const meeting = await team.admin.call('createMeeting', {
      params: { workspaceId: team.workspaceId },
      body: meetingBody(setup.cycleId),
    });
    expect(meeting.status).toBe(201);
    const meetingParams = { workspaceId: team.workspaceId, meetingId: meeting.body.id };
    for (const proposal of [beyond, answer.body.signOffsBelowPlan[0]]) {
      if (!proposal) throw new Error('missing proposal');
      const added = await team.admin.call('addAgendaEntry', {
        params: meetingParams,
        body: {
          title: proposal.title,
          durationMinutes: proposal.durationMinutes,
          links: proposal.links,
          source: proposal.source,
        },
      });
      expect(added.status).toBe(201);
    }
    const backlog = await team.admin.call('getAgendaBacklog', { params: meetingParams, query: {} });
    expect(backlog.body.pendingSignOffs.map((proposal) => proposal.title)).toEqual(['Sign off ENOUGH-1 threshold v1']);
  });
});
