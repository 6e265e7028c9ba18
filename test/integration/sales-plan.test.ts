import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planWorkspace } from '#scripts/bench/scale-plan';
import type { BodyOf } from '#scripts/fixtures/route-call';
import { startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

/*
 * Hand arithmetic for January 2027 in a cycle whose calendar takes 1 January
 * off: 21 weekdays less the holiday is 20 working days, so a threshold of
 * 100 a week gives 100 × 20 / 5 = 400 of normal capacity and, with 20 %
 * flex, 480 in the flex band. Overtime is 12 a unit, setup 400 a period.
 */
const fy2027 = { startDate: '2027-01-01', endDate: '2027-12-31', holidays: ['2027-01-01'] };

interface PlanSetup {
  team: PlanningTeam;
  cycleId: string;
  ids: Record<'WITHIN-1' | 'FLEX-1' | 'BEYOND-1', string>;
}

async function setUp(name: string): Promise<PlanSetup> {
  const team = await planningTeam(api, name);
  const create = async (code: string, family: string, listPrice: number) => {
    const answer = await team.sales.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: { code, name: `Item ${code}`, kind: 'product', unit: 'unit', family, listPrice },
    });
    expect(answer.status).toBe(201);
    return answer.body.id;
  };
  const ids = {
    'WITHIN-1': await create('WITHIN-1', 'Pumps', 100),
    'FLEX-1': await create('FLEX-1', 'Pumps', 50),
    'BEYOND-1': await create('BEYOND-1', 'Valves', 10),
  };
  const cycle = await createCycle(team, `${name} FY2027`, fy2027);
  await agree(team, cycle.id, ids['WITHIN-1']);
  await agree(team, cycle.id, ids['FLEX-1']);
  // Saved but not signed: its capacity counts, marked pending.
  const pending = await team.ops.call('saveThreshold', {
    params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: ids['BEYOND-1'] },
    body: { terms: pumpTerms, expectedVersion: null },
  });
  expect(pending.status).toBe(200);
  return { team, cycleId: cycle.id, ids };
}

const params = (setup: PlanSetup) => ({ workspaceId: setup.team.workspaceId, cycleId: setup.cycleId });
const save = (setup: PlanSetup, who: PlanningTeam['sales'], body: BodyOf<'saveSalesPlan'>) =>
  who.call('saveSalesPlan', { params: params(setup), body });
const planOf = async (setup: PlanSetup) => {
  const answer = await setup.team.rep.call('getSalesPlan', { params: params(setup) });
  expect(answer.status).toBe(200);
  return answer;
};
const auditOf = async (team: PlanningTeam, action: string) =>
  (await team.admin.call('listAuditEvents', { params: { workspaceId: team.workspaceId }, query: { action } })).body.events;

const januaryCells = [
  { code: 'WITHIN-1', period: '2027-01', volume: 300 },
  { code: 'FLEX-1', period: '2027-01', volume: 450 },
  { code: 'BEYOND-1', period: '2027-01', volume: 600 },
  { code: 'BEYOND-1', period: '2027-02', volume: 10, value: 250 },
];

describe('the sales plan of a cycle', () => {
  it('is entered by save, totalled by family with its items, and audited with what changed', async () => {
    const setup = await setUp('Plan Pumps');
    const empty = await planOf(setup);
    expect(empty.headers.get('x-accord-db-round-trips')).toBe('1');
    expect(empty.body).toMatchObject({ version: null, granularity: 'month', editable: true, totalVolume: 0 });
    expect(empty.body.periods).toHaveLength(12);
    expect(empty.body.periods[0]).toBe('2027-01');

    const saved = await save(setup, setup.team.sales, { expectedVersion: null, cells: januaryCells });
    expect(saved.status).toBe(200);
    // Reads (membership, cycle, plan, portfolio) together, then one transaction.
    expect(saved.headers.get('x-accord-db-round-trips')).toBe('2');
    expect(saved.body).toMatchObject({ version: 1, changedCells: 4 });

    const plan = await planOf(setup);
    expect(plan.headers.get('x-accord-db-round-trips')).toBe('1');
    expect(plan.body.version).toBe(1);
    expect(plan.body.families.map((family) => family.family)).toEqual(['Pumps', 'Valves']);
    const [pumps, valves] = plan.body.families;
    // 300 × 100 + 450 × 50; the valve's February value is its override, not 10 × 10.
    expect(pumps).toMatchObject({ totalVolume: 750, totalValue: 52_500, volumes: { '2027-01': 750 } });
    expect(pumps?.items.map((item) => item.code)).toEqual(['FLEX-1', 'WITHIN-1']);
    expect(valves?.items[0]).toMatchObject({
      volumes: { '2027-01': 600, '2027-02': 10 },
      values: { '2027-01': 6000, '2027-02': 250 },
      overrides: { '2027-02': 250 },
      totalValue: 6250,
    });
    expect(plan.body).toMatchObject({ totalVolume: 1360, totalValue: 58_750 });

    const [event] = await auditOf(setup.team, 'salesPlan.saved');
    expect(event?.after).toMatchObject({ version: 1, changedCells: 4, items: ['WITHIN-1', 'FLEX-1', 'BEYOND-1'] });

    // A second save changes one cell and clears another; the others stay.
    const second = await save(setup, setup.team.admin, {
      expectedVersion: 1,
      cells: [
        { code: 'within-1', period: '2027-01', volume: 320 },
        { code: 'BEYOND-1', period: '2027-02', volume: 0 },
      ],
    });
    expect(second.body).toMatchObject({ version: 2, changedCells: 2 });
    const after = await planOf(setup);
    expect(after.body.families[0]?.items.find((item) => item.code === 'WITHIN-1')?.volumes).toEqual({ '2027-01': 320 });
    expect(after.body.families[1]?.items[0]?.volumes).toEqual({ '2027-01': 600 });
    expect(await auditOf(setup.team, 'salesPlan.saved')).toHaveLength(2);
  });

  it('is updated by a semicolon, decimal-comma CSV through its preview and apply', async () => {
    const setup = await setUp('Plan Semicolons');
    expect((await save(setup, setup.team.sales, { expectedVersion: null, cells: januaryCells })).status).toBe(200);
    const csv = [
      'Code;Period;Volume;Value',
      'within-1;2027-02;120,5;',
      'FLEX-1;2027-01;450;',
      'BEYOND-1;2027-01;700;',
      'BEYOND-1;2027-03;1.200,0;15000,5',
    ].join('\r\n');
    const previewed = await setup.team.sales.call('previewSalesPlanCsv', { params: params(setup), body: { csv } });
    expect(previewed.status).toBe(200);
    expect(previewed.headers.get('x-accord-db-round-trips')).toBe('1');
    expect(previewed.body).toMatchObject({ delimiter: 'semicolon', decimalComma: true, planVersion: 1 });
    expect(previewed.body.counts).toEqual({ new: 2, changed: 1, unchanged: 1, invalid: 0 });
    expect(previewed.body.rows.map((row) => [row.row, row.code, row.kind])).toEqual([
      [2, 'WITHIN-1', 'new'],
      [3, 'FLEX-1', 'unchanged'],
      [4, 'BEYOND-1', 'changed'],
      [5, 'BEYOND-1', 'new'],
    ]);
    expect(previewed.body.rows[2]?.change).toMatchObject({ before: { volume: 600 }, after: { volume: 700 } });
    // The preview wrote nothing.
    expect((await planOf(setup)).body.version).toBe(1);

    const applied = await setup.team.sales.call('applySalesPlanCsv', {
      params: params(setup),
      body: { csv, token: previewed.body.token },
    });
    expect(applied.status).toBe(200);
    expect(applied.headers.get('x-accord-db-round-trips')).toBe('2');
    expect(applied.body).toMatchObject({ version: 2, changedCells: 3 });
    const plan = await planOf(setup);
    const items = plan.body.families.flatMap((family) => family.items);
    expect(items.find((item) => item.code === 'WITHIN-1')?.volumes).toEqual({ '2027-01': 300, '2027-02': 120.5 });
    expect(items.find((item) => item.code === 'BEYOND-1')).toMatchObject({
      volumes: { '2027-01': 700, '2027-02': 10, '2027-03': 1200 },
      values: { '2027-01': 7000, '2027-02': 250, '2027-03': 15_000.5 },
    });
    const [event] = await auditOf(setup.team, 'salesPlan.csvApplied');
    expect(event?.after).toMatchObject({ version: 2, changedCells: 3 });

    // The same token again names version 1: the plan moved on.
    const again = await setup.team.sales.call('applySalesPlanCsv', {
      params: params(setup),
      body: { csv, token: previewed.body.token },
    });
    expect(again.status).toBe(409);
    expect((await planOf(setup)).body.version).toBe(2);
  });

  it('previews invalid rows by row and column and refuses to apply them, writing nothing', async () => {
    const setup = await setUp('Plan Bad Rows');
    const csv = ['code,period,volume', 'WITHIN-1,2027-01,-5', 'NOPE-1,2027-01,5', 'FLEX-1,2028-01,5', 'FLEX-1,2027-02,abc'].join(
      '\n',
    );
    const previewed = await setup.team.sales.call('previewSalesPlanCsv', { params: params(setup), body: { csv } });
    expect(previewed.status).toBe(200);
    expect(previewed.body.counts).toEqual({ new: 0, changed: 0, unchanged: 0, invalid: 4 });
    expect(previewed.body.rows.map((row) => row.errors.map((error) => `${error.row} ${error.column}`))).toEqual([
      ['2 volume'],
      ['3 code and period'],
      ['4 code and period'],
      ['5 volume'],
    ]);
    expect(previewed.body.rows[1]?.errors[0]?.reason).toMatch(/NOPE-1 is not an item/);
    expect(previewed.body.rows[2]?.errors[0]?.reason).toMatch(/2028-01 is not a period of the cycle/);
    const applied = await setup.team.sales.call('applySalesPlanCsv', {
      params: params(setup),
      body: { csv, token: previewed.body.token },
    });
    expect(applied.status).toBe(400);
    expect(JSON.stringify(applied.body)).toContain('row 2, volume');
    expect((await planOf(setup)).body.version).toBeNull();
    const header = await setup.team.sales.call('previewSalesPlanCsv', {
      params: params(setup),
      body: { csv: 'code;period;volume' },
    });
    expect(header.status).toBe(400);
    expect(header.body.message).toMatch(/no rows/);
  });
});

describe('the load view', () => {
  it('sets the plan against normal capacity and the flex band, with the flex cost by hand arithmetic', async () => {
    const setup = await setUp('Load Pumps');
    expect((await save(setup, setup.team.sales, { expectedVersion: null, cells: januaryCells })).status).toBe(200);
    const committed = await setup.team.rep.call('recordCommitment', {
      params: { workspaceId: setup.team.workspaceId, itemId: setup.ids['WITHIN-1'] },
      body: { reference: 'SO-PLAN-1', quantity: 5, deliveryDate: '2027-02-15' },
    });
    expect(committed.status).toBe(201);
    const load = await setup.team.ops.call('getPlanLoad', { params: params(setup), query: {} });
    expect(load.status).toBe(200);
    expect(Number(load.headers.get('x-accord-db-round-trips'))).toBeLessThanOrEqual(2);
    expect(load.body.capacityRule).toMatch(/weekly capacity × its working days .* \/ 5/);
    const items = load.body.families.flatMap((family) => family.items);
    const january = (code: string) => items.find((item) => item.code === code)?.cells[0];
    expect(january('WITHIN-1')).toMatchObject({
      period: '2027-01',
      plan: 300,
      workingDays: 20,
      capacity: 400,
      flexCapacity: 480,
      status: 'within',
      flexCost: 0,
      beyondVolume: 0,
    });
    // 50 units above 400 at 12 each, plus the setup of 400.
    expect(january('FLEX-1')).toMatchObject({ plan: 450, status: 'flex', flexCost: 1000, beyondVolume: 0 });
    // The whole band (80 units) at 12, plus setup; 120 units beyond the band's 480.
    expect(january('BEYOND-1')).toMatchObject({ plan: 600, status: 'beyond', flexCost: 1360, beyondVolume: 120 });
    expect(items.find((item) => item.code === 'BEYOND-1')?.threshold).toBe('pending');
    expect(items.find((item) => item.code === 'WITHIN-1')?.threshold).toBe('agreed');
    // February (20 working days): no plan for the pump, so its capacity of 400 is unused.
    expect(items.find((item) => item.code === 'WITHIN-1')?.cells[1]).toMatchObject({
      status: 'unused',
      capacity: 400,
      workingDays: 20,
    });
    const [pumps, valves] = load.body.families;
    expect(pumps).toMatchObject({ family: 'Pumps', plan: 750, flexCost: 1000, beyondVolume: 0 });
    expect(valves).toMatchObject({ family: 'Valves', plan: 610, flexCost: 1360, beyondVolume: 120 });
    expect(pumps?.cells[0]).toMatchObject({ period: '2027-01', plan: 750, flexCost: 1000 });
    expect(load.body).toMatchObject({ committed: 5, flexCost: 2360, beyondVolume: 120, flexCostByCurrency: { EUR: 2360 } });

    const valvesOnly = await setup.team.sales.call('getPlanLoad', { params: params(setup), query: { family: 'Valves' } });
    expect(valvesOnly.body.families.map((family) => family.family)).toEqual(['Valves']);
    expect(valvesOnly.body.flexCost).toBe(1360);
    const services = await setup.team.sales.call('getPlanLoad', { params: params(setup), query: { kind: 'service' } });
    expect(services.body.families).toEqual([]);
    expect((await setup.team.rep.call('getPlanLoad', { params: params(setup), query: {} })).status).toBe(403);
  });
});

describe('the load view for one rep', () => {
  it('counts only the commitments that rep recorded, keeps the whole plan, in at most 2 round trips', async () => {
    const setup = await setUp('Load Rep Pumps');
    expect((await save(setup, setup.team.sales, { expectedVersion: null, cells: januaryCells })).status).toBe(200);
    const record = (who: PlanningTeam['rep'], reference: string, quantity: number) =>
      who.call('recordCommitment', {
        params: { workspaceId: setup.team.workspaceId, itemId: setup.ids['WITHIN-1'] },
        body: { reference, quantity, deliveryDate: '2027-02-15' },
      });
    expect((await record(setup.team.rep, 'SO-REP-1', 5)).status).toBe(201);
    expect((await record(setup.team.admin, 'SO-ADMIN-1', 7)).status).toBe(201);
    const february = (view: { families: Array<{ items: Array<{ code: string; cells: Array<{ committed: number }> }> }> }) =>
      view.families.flatMap((family) => family.items).find((item) => item.code === 'WITHIN-1')?.cells[1]?.committed;
    const everyone = await setup.team.ops.call('getPlanLoad', { params: params(setup), query: {} });
    expect(february(everyone.body)).toBe(12);
    expect(everyone.body.rep).toBeNull();
    expect(everyone.body.spans['2027-02']).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    const repOnly = await setup.team.ops.call('getPlanLoad', {
      params: params(setup),
      query: { rep: setup.team.rep.email.toUpperCase() },
    });
    expect(repOnly.status).toBe(200);
    expect(Number(repOnly.headers.get('x-accord-db-round-trips'))).toBeLessThanOrEqual(2);
    expect(repOnly.body.rep).toBe(setup.team.rep.email.toLowerCase());
    expect(february(repOnly.body)).toBe(5);
    expect(repOnly.body).toMatchObject({ committed: 5, plan: everyone.body.plan });
    const nobody = await setup.team.ops.callRaw('getPlanLoad', { params: params(setup), query: { rep: 'not an email' } });
    expect(nobody.status).toBe(400);
  });
});

describe('refusals', () => {
  it('lets only sales managers and admins write, names bad cells, and writes nothing when refused', async () => {
    const setup = await setUp('Plan Refusals');
    const cells = [{ code: 'WITHIN-1', period: '2027-01', volume: 5 }];
    expect((await save(setup, setup.team.rep, { expectedVersion: null, cells })).status).toBe(403);
    const ops = await save(setup, setup.team.ops, { expectedVersion: null, cells });
    expect(ops.status).toBe(403);
    expect(ops.body.message).toMatch(/sales managers and admins/);
    expect((await save(setup, setup.team.marketing, { expectedVersion: null, cells })).status).toBe(403);

    const negative = await setup.team.sales.callRaw('saveSalesPlan', {
      params: params(setup),
      body: { expectedVersion: null, cells: [...cells, { code: 'FLEX-1', period: '2027-01', volume: -1 }] },
    });
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body)).toMatch(/cells.*1.*volume/);
    const unknown = await save(setup, setup.team.sales, {
      expectedVersion: null,
      cells: [...cells, { code: 'NOPE-1', period: '2027-01', volume: 1 }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('cells[1] (NOPE-1, 2027-01)');
    const outside = await save(setup, setup.team.sales, {
      expectedVersion: null,
      cells: [...cells, { code: 'FLEX-1', period: '2026-12', volume: 1 }],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.message).toContain('cells[1] (FLEX-1, 2026-12)');
    expect((await planOf(setup)).body.version).toBeNull();
    expect(await auditOf(setup.team, 'salesPlan.saved')).toHaveLength(0);

    // A stale version, and two saves racing from the same version: one wins, the other is 409.
    expect((await save(setup, setup.team.sales, { expectedVersion: 3, cells })).status).toBe(409);
    const [first, second] = await Promise.all([
      save(setup, setup.team.sales, { expectedVersion: null, cells }),
      save(setup, setup.team.admin, { expectedVersion: null, cells: [{ code: 'FLEX-1', period: '2027-01', volume: 9 }] }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const plan = await planOf(setup);
    expect(plan.body.version).toBe(1);
    expect(plan.body.totalVolume === 5 || plan.body.totalVolume === 9).toBe(true);
    expect(await auditOf(setup.team, 'salesPlan.saved')).toHaveLength(1);
  });

  it('keeps the plan of an agreed cycle read-only', async () => {
    const setup = await setUp('Plan Agreed');
    const cycle = await createCycle(setup.team, 'Agreed cycle', fy2027);
    const cycleParams = { workspaceId: setup.team.workspaceId, cycleId: cycle.id };
    for (const [to, expectedVersion] of [
      ['planning', 1],
      ['agreed', 2],
    ] as const) {
      const moved = await setup.team.sales.call('changeCycleState', { params: cycleParams, body: { to, expectedVersion } });
      expect(moved.status).toBe(200);
    }
    const refused = await setup.team.sales.call('saveSalesPlan', {
      params: cycleParams,
      body: { expectedVersion: null, cells: [{ code: 'WITHIN-1', period: '2027-01', volume: 5 }] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/agreed/);
    const read = await setup.team.rep.call('getSalesPlan', { params: cycleParams });
    expect(read.body).toMatchObject({ editable: false, version: null, totalVolume: 0 });
  });
});

describe('at scale', () => {
  it('imports 500 items × 12 months in one request and reads its load view in at most 2 round trips', async () => {
    const { team, path, csv } = await planWorkspace(api, 'Plan Scale', 500);
    const previewed = await team.sales.post(`${path}/plan-csv/preview`, { csv });
    expect(previewed.status).toBe(200);
    expect(previewed.body.counts).toEqual({ new: 6000, changed: 0, unchanged: 0, invalid: 0 });
    const applied = await team.sales.post(`${path}/plan-csv/apply`, { csv, token: previewed.body.token });
    expect(applied.status).toBe(200);
    expect(applied.headers.get('x-accord-db-round-trips')).toBe('2');
    expect(applied.body).toMatchObject({ version: 1, changedCells: 6000 });
    const plan = await team.rep.get(`${path}/plan`);
    expect(plan.headers.get('x-accord-db-round-trips')).toBe('1');
    expect(plan.body.families[0].items).toHaveLength(500);
    const load = await team.ops.get(`${path}/plan/load`);
    expect(load.status).toBe(200);
    expect(Number(load.headers.get('x-accord-db-round-trips'))).toBeLessThanOrEqual(2);
    expect(load.body.families[0].items).toHaveLength(500);
    expect(load.body.plan).toBeGreaterThan(0);
  }, 240_000);
});
