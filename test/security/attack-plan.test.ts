import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BodyOf } from '#scripts/fixtures/route-call';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { auditEvents, partitionItems } from '#test/support/snapshot';

/**
 * The sales plan attacked from outside: callers who may not save it, racing
 * twins on one expected version, hostile cells and a cycle that is agreed.
 * Every refusal must leave the plan's partition and the audit trail as they were.
 */
let api: TestApi;
let team: PlanningTeam;
let outsider: Person;
let otherWorkspaceId: string;
const fy2027 = { startDate: '2027-01-01', endDate: '2027-12-31' };

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Plan Attack');
  await createItem(team, 'PA-1');
  await createItem(team, 'PA-2');
  outsider = await api.person('plan-outsider');
  otherWorkspaceId = (await outsider.call('createWorkspace', { body: { name: 'Plan Elsewhere' } })).body.id;
  await outsider.call('createPortfolioItem', {
    params: { workspaceId: otherWorkspaceId },
    body: { code: 'FOREIGN-1', name: 'Foreign pump', kind: 'product', unit: 'unit' },
  });
});
afterAll(async () => {
  await api.close();
});

async function newCycle(name: string) {
  const cycle = await createCycle(team, name, fy2027);
  return { workspaceId: team.workspaceId, cycleId: cycle.id };
}

/** The plan's own partition and the workspace's audit trail, as comparable text. */
async function planState(params: { workspaceId: string; cycleId: string }) {
  const [plan, audit] = await Promise.all([
    partitionItems(params.workspaceId, undefined, undefined, `#PLAN#${params.cycleId}`),
    auditEvents(params.workspaceId),
  ]);
  return [...plan, ...audit].map((item) => JSON.stringify(item)).sort();
}

const save = (who: Person, params: { workspaceId: string; cycleId: string }, body: BodyOf<'saveSalesPlan'>) =>
  who.call('saveSalesPlan', { params, body });

async function expectRefused(
  params: { workspaceId: string; cycleId: string },
  attempt: () => Promise<{ status: number; body: any }>,
  status: number,
  names?: RegExp,
) {
  const before = await planState(params);
  const answer = await attempt();
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  if (names) expect(JSON.stringify(answer.body)).toMatch(names);
  expect(await planState(params)).toEqual(before);
  return answer;
}

const cell = { code: 'PA-1', period: '2027-01', volume: 10 };

describe('who may save the sales plan', () => {
  it('refuses a rep, an operations manager, a marketing manager and an outsider, writing nothing', async () => {
    const params = await newCycle('Who saves');
    for (const who of [team.rep, team.opsRep]) {
      await expectRefused(params, () => save(who, params, { expectedVersion: null, cells: [cell] }), 403);
    }
    for (const who of [team.ops, team.marketing]) {
      await expectRefused(params, () => save(who, params, { expectedVersion: null, cells: [cell] }), 403);
    }
    await expectRefused(params, () => save(outsider, params, { expectedVersion: null, cells: [cell] }), 404);
    // The outsider's own workspace path with this workspace's cycle: their cycle does not exist there.
    const foreign = await save(
      outsider,
      { workspaceId: otherWorkspaceId, cycleId: params.cycleId },
      {
        expectedVersion: null,
        cells: [{ code: 'FOREIGN-1', period: '2027-01', volume: 1 }],
      },
    );
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect(foreign.status).toBeLessThan(500);
    expect(await save(team.sales, params, { expectedVersion: null, cells: [cell] })).toMatchObject({ status: 200 });
  });

  it('refuses a CSV apply by an operations manager who may preview it', async () => {
    const params = await newCycle('Who applies');
    const csv = 'code,period,volume\nPA-1,2027-02,7\n';
    const preview = await team.ops.call('previewSalesPlanCsv', { params, body: { csv } });
    expect(preview.status).toBe(200);
    await expectRefused(
      params,
      () => team.ops.call('applySalesPlanCsv', { params, body: { csv, token: preview.body.token } }),
      403,
    );
  });
});

describe('a CSV preview’s token', () => {
  it('applies only to the plan it was previewed for: another cycle’s apply with it is 409, writing nothing', async () => {
    const previewed = await newCycle('Token here');
    const elsewhere = await newCycle('Token there');
    const csv = 'code,period,volume\nPA-1,2027-03,9\n';
    const preview = await team.sales.call('previewSalesPlanCsv', { params: previewed, body: { csv } });
    expect(preview.status).toBe(200);
    await expectRefused(
      elsewhere,
      () => team.sales.call('applySalesPlanCsv', { params: elsewhere, body: { csv, token: preview.body.token } }),
      409,
    );
    const applied = await team.sales.call('applySalesPlanCsv', { params: previewed, body: { csv, token: preview.body.token } });
    expect(applied.status).toBe(200);
  });
});

describe('racing twins of one save', () => {
  it('lets exactly one of 15 saves on the same expected version win, round after round', async () => {
    const params = await newCycle('Racing saves');
    let expectedVersion: number | null = null;
    for (let round = 1; round <= 4; round++) {
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_, twin) =>
          save(team.sales, params, { expectedVersion, cells: [{ code: 'PA-1', period: '2027-03', volume: round * 100 + twin }] }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(14);
      const plan = await team.rep.call('getSalesPlan', { params });
      expect(plan.body.version).toBe(round);
      expect(plan.body.totalVolume).toBeGreaterThanOrEqual(round * 100);
      expect(plan.body.totalVolume).toBeLessThan(round * 100 + 15);
      expectedVersion = round;
    }
    const saved = (await auditEvents(params.workspaceId)).filter(
      (event) => event.action === 'salesPlan.saved' && JSON.stringify(event).includes(params.cycleId),
    );
    expect(saved).toHaveLength(4);
  });
});

describe('hostile cells', () => {
  const hostile: Array<[string, BodyOf<'saveSalesPlan'>['cells'], RegExp]> = [
    ['a negative volume', [{ code: 'PA-1', period: '2027-01', volume: -5 }], /cells\.0\.volume|negative/],
    ['a negative value', [{ code: 'PA-1', period: '2027-01', volume: 5, value: -1 }], /cells\.0\.value|negative/],
    ['a volume past the limit', [{ code: 'PA-1', period: '2027-01', volume: 1e12 }], /cells\.0\.volume/],
    ['a period after the cycle', [{ code: 'PA-1', period: '2028-01', volume: 5 }], /2028-01/],
    ['a period before the cycle', [{ code: 'PA-1', period: '2026-12', volume: 5 }], /2026-12/],
    ['a month that does not exist', [{ code: 'PA-1', period: '2027-13', volume: 5 }], /2027-13|period/],
    ['a week on a Tuesday', [{ code: 'PA-1', period: '2027-03-02', volume: 5 }], /2027-03-02|period/],
    ['an item of another workspace', [{ code: 'FOREIGN-1', period: '2027-01', volume: 5 }], /FOREIGN-1/],
    [
      'a cell named twice',
      [
        { code: 'PA-1', period: '2027-01', volume: 5 },
        { code: 'PA-1', period: '2027-01', volume: 6 },
      ],
      /PA-1/,
    ],
  ];
  for (const [what, cells, names] of hostile) {
    it(`refuses ${what}, naming the cell, and writes nothing`, async () => {
      const params = await newCycle(`Hostile ${what}`);
      await expectRefused(params, () => save(team.sales, params, { expectedVersion: null, cells }), 400, names);
    });
  }

  it('refuses 6,001 cells as a whole, naming the limit', async () => {
    const params = await newCycle('Too many cells');
    const cells = Array.from({ length: 6_001 }, (_, index) => ({
      code: index % 2 === 0 ? 'PA-1' : 'PA-2',
      period: `2027-${String((index % 12) + 1).padStart(2, '0')}`,
      volume: index,
    }));
    await expectRefused(params, () => save(team.sales, params, { expectedVersion: null, cells }), 400, /6000|cells/);
  });

  it('refuses a stale or made-up expected version with 409', async () => {
    const params = await newCycle('Stale version');
    expect((await save(team.sales, params, { expectedVersion: null, cells: [cell] })).status).toBe(200);
    await expectRefused(params, () => save(team.sales, params, { expectedVersion: null, cells: [cell] }), 409);
    await expectRefused(params, () => save(team.sales, params, { expectedVersion: 7, cells: [cell] }), 409);
  });
});

describe('a cycle that is agreed', () => {
  it('refuses a save, and an apply previewed while it was planning, with 409', async () => {
    const params = await newCycle('Agreed plan');
    const item = await createItem(team, 'PA-AGREED');
    await agree(team, params.cycleId, item.id);
    expect((await save(team.sales, params, { expectedVersion: null, cells: [cell] })).status).toBe(200);
    const csv = 'code,period,volume\nPA-1,2027-04,9\n';
    const preview = await team.sales.call('previewSalesPlanCsv', { params, body: { csv } });
    expect(preview.status).toBe(200);
    const cycle = await team.sales.call('getCycle', { params });
    let version = cycle.body.version;
    for (const to of cycle.body.state === 'draft' ? (['planning', 'agreed'] as const) : (['agreed'] as const)) {
      const moved = await team.sales.call('changeCycleState', { params, body: { to, expectedVersion: version } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      version = moved.body.version;
    }
    await expectRefused(params, () => save(team.sales, params, { expectedVersion: 1, cells: [cell] }), 409, /agreed/);
    await expectRefused(
      params,
      () => team.sales.call('applySalesPlanCsv', { params, body: { csv, token: preview.body.token } }),
      409,
    );
    await expectRefused(
      params,
      () => team.admin.call('saveSalesPlan', { params, body: { expectedVersion: 1, cells: [cell] } }),
      409,
    );
  });

  it('lets no save land after the cycle is agreed while twins race the move', async () => {
    for (let round = 0; round < 3; round++) {
      const params = await newCycle(`Race the agreement ${round}`);
      const cycle = await team.sales.call('getCycle', { params });
      let version = cycle.body.version;
      if (cycle.body.state === 'draft') {
        const moved = await team.sales.call('changeCycleState', { params, body: { to: 'planning', expectedVersion: version } });
        version = moved.body.version;
      }
      const [moved, ...saves] = await Promise.all([
        team.sales.call('changeCycleState', { params, body: { to: 'agreed', expectedVersion: version } }),
        ...Array.from({ length: 10 }, (_, twin) =>
          save(team.sales, params, { expectedVersion: null, cells: [{ code: 'PA-1', period: '2027-05', volume: twin + 1 }] }),
        ),
      ]);
      expect(moved?.status).toBe(200);
      expect(saves.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(1);
      const after = await planState(params);
      const again = await save(team.sales, params, { expectedVersion: null, cells: [cell] });
      expect([409]).toContain(again.status);
      expect(await planState(params)).toEqual(after);
    }
  });
});
