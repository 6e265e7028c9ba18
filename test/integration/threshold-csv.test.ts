import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

interface Setup {
  team: PlanningTeam;
  params: { workspaceId: string; cycleId: string };
  ids: Record<'AGREED-1' | 'KEPT-1' | 'FRESH-1', string>;
}

/** A cycle in draft: AGREED-1 and KEPT-1 agreed at version 1, FRESH-1 without a threshold. */
async function setUp(name: string): Promise<Setup> {
  const team = await planningTeam(api, name);
  const ids = {
    'AGREED-1': (await createItem(team, 'AGREED-1')).id,
    'KEPT-1': (await createItem(team, 'KEPT-1')).id,
    'FRESH-1': (await createItem(team, 'FRESH-1')).id,
  };
  const cycle = await createCycle(team, `${name} FY2027`, { startDate: '2027-01-01', endDate: '2027-12-31' });
  await agree(team, cycle.id, ids['AGREED-1']);
  await agree(team, cycle.id, ids['KEPT-1']);
  return { team, params: { workspaceId: team.workspaceId, cycleId: cycle.id }, ids };
}

const preview = (setup: Setup, csv: string, who = setup.team.sales) =>
  who.call('previewThresholdCsv', { params: setup.params, body: { csv } });
const apply = (setup: Setup, csv: string, token: string, who = setup.team.sales) =>
  who.call('applyThresholdCsv', { params: setup.params, body: { csv, token } });
const headOf = async (setup: Setup, code: keyof Setup['ids']) =>
  (await setup.team.sales.call('getThreshold', { params: { ...setup.params, itemId: setup.ids[code] } })).body.threshold;
const versionsOf = async (setup: Setup) =>
  Object.fromEntries(
    await Promise.all(
      (Object.keys(setup.ids) as Array<keyof Setup['ids']>).map(async (code) => [
        code,
        (await headOf(setup, code))?.version ?? null,
      ]),
    ),
  );

/** Semicolons and decimal commas, as a spreadsheet in a decimal-comma locale saves it. */
const localeFile = [
  'Code;capacity per week;overtime_cost_per_unit;standardLeadTimeDays;flexLeadTimeDays;flexExtraCapacityPercent;expediteFeePercent;setupCost;scopeIncluded',
  'agreed-1;150,5;12;;;;;;',
  'KEPT-1;100;12;;;;;;',
  'FRESH-1;80;9,75;10;5;20;8;400;Commissioning|Training',
].join('\r\n');

describe('thresholds of a cycle by CSV', () => {
  it('previews a semicolon, decimal-comma file field by field and applies it as new versions that need both sign-offs again', async () => {
    const setup = await setUp('Threshold CSV Pumps');
    const answer = await preview(setup, localeFile);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      delimiter: 'semicolon',
      decimalComma: true,
      counts: { new: 1, changed: 1, unchanged: 1, invalid: 0 },
    });
    const [agreedRow, keptRow, freshRow] = answer.body.rows;
    expect(agreedRow).toMatchObject({ row: 2, code: 'AGREED-1', kind: 'changed', version: 2 });
    expect(agreedRow?.changes).toEqual([{ field: 'capacityPerWeek', before: 100, after: 150.5 }]);
    expect(keptRow).toMatchObject({ row: 3, code: 'KEPT-1', kind: 'unchanged', version: null, changes: [] });
    expect(freshRow).toMatchObject({ row: 4, code: 'FRESH-1', kind: 'new', version: 1 });
    expect(freshRow?.changes.find((change) => change.field === 'scopeIncluded')?.after).toEqual(['Commissioning', 'Training']);
    // The preview wrote nothing.
    expect(await versionsOf(setup)).toEqual({ 'AGREED-1': 1, 'KEPT-1': 1, 'FRESH-1': null });

    const applied = await apply(setup, localeFile, answer.body.token);
    expect(applied.status).toBe(200);
    expect(applied.body.saved.map((entry) => [entry.code, entry.version])).toEqual([
      ['AGREED-1', 2],
      ['FRESH-1', 1],
    ]);
    const agreed = await headOf(setup, 'AGREED-1');
    // As after an edit in the editor: the new version waits for both sign-offs, reps keep seeing version 1.
    expect(agreed).toMatchObject({ version: 2, signOffs: [], agreed: { version: 1 } });
    expect(agreed?.latest.terms).toEqual({ ...pumpTerms, capacityPerWeek: 150.5 });
    expect((await headOf(setup, 'KEPT-1'))?.signOffs.map((signOff) => signOff.function).sort()).toEqual(['operations', 'sales']);
    const fresh = await headOf(setup, 'FRESH-1');
    expect(fresh?.latest.terms).toMatchObject({ capacityPerWeek: 80, overtimeCostPerUnit: 9.75, currency: 'EUR', notes: '' });
    const events = await setup.team.admin.call('listAuditEvents', {
      params: { workspaceId: setup.team.workspaceId },
      query: { action: 'thresholds.csvApplied' },
    });
    expect(events.body.events).toHaveLength(1);
    // Applying the same preview again is a conflict: the thresholds moved on.
    const again = await apply(setup, localeFile, answer.body.token);
    expect(again.status).toBe(409);
    expect(await versionsOf(setup)).toEqual({ 'AGREED-1': 2, 'KEPT-1': 1, 'FRESH-1': 1 });
  });

  it('names invalid rows by row and column and writes nothing while one is invalid', async () => {
    const setup = await setUp('Threshold CSV Invalid');
    await createItem(setup.team, 'GONE-1').then((item) =>
      setup.team.admin.call('updatePortfolioItem', {
        params: { workspaceId: setup.team.workspaceId, itemId: item.id },
        body: { archived: true, expectedVersion: item.version },
      }),
    );
    const csv = [
      'code,capacityPerWeek,flexLeadTimeDays,currency',
      'AGREED-1,-4,,',
      'KEPT-1,,20,',
      'FRESH-1,80,,',
      'NOPE-9,80,,',
      'AGREED-1,90,,',
      'GONE-1,10,,',
      'AGREED-1x,,,euro',
    ].join('\n');
    const answer = await preview(setup, csv);
    expect(answer.status).toBe(200);
    expect(answer.body.counts).toEqual({ new: 0, changed: 0, unchanged: 0, invalid: 7 });
    const problems = answer.body.rows.map((row) => [row.row, row.errors.map((error) => error.column).join(' ')]);
    expect(problems).toEqual([
      [2, 'capacityPerWeek'],
      [3, 'flexLeadTimeDays'],
      [4, 'standardLeadTimeDays flexExtraCapacityPercent flexLeadTimeDays expediteFeePercent overtimeCostPerUnit setupCost'],
      [5, 'code'],
      [6, 'code'],
      [7, 'code'],
      [8, 'code'],
    ]);
    expect(answer.body.rows[0]?.errors[0]?.reason).toBe('must not be negative');
    expect(answer.body.rows[1]?.errors[0]?.reason).toBe('must not be longer than the standard lead time');
    expect(answer.body.rows[2]?.errors[0]?.reason).toBe('must be given: the item has no threshold yet');
    expect(answer.body.rows[4]?.errors[0]?.reason).toBe('AGREED-1 already appears on row 2');
    expect(answer.body.rows[5]?.errors[0]?.reason).toContain('archived');

    const refused = await apply(setup, csv, answer.body.token);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual(
      expect.arrayContaining([{ field: 'row 2, capacityPerWeek', message: 'must not be negative' }]),
    );
    expect(await versionsOf(setup)).toEqual({ 'AGREED-1': 1, 'KEPT-1': 1, 'FRESH-1': null });
  });

  it('answers 400 for a wrong header or a file with only a header', async () => {
    const setup = await setUp('Threshold CSV Header');
    const unknown = await preview(setup, 'code;capacity;notes\nAGREED-1;1;x\n');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('unknown column capacity');
    const empty = await preview(setup, 'code;capacityPerWeek\r\n');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('the file has no rows');
  });

  it('refuses a rep (403) and a manager of another workspace (404), writing nothing', async () => {
    const setup = await setUp('Threshold CSV Rep');
    const own = await preview(setup, localeFile);
    expect((await preview(setup, localeFile, setup.team.rep)).status).toBe(403);
    expect((await apply(setup, localeFile, own.body.token, setup.team.rep)).status).toBe(403);
    const other = await planningTeam(api, 'Threshold CSV Outsiders');
    expect((await apply(setup, localeFile, own.body.token, other.sales)).status).toBe(404);
    expect(await versionsOf(setup)).toEqual({ 'AGREED-1': 1, 'KEPT-1': 1, 'FRESH-1': null });
  });

  it('refuses a cycle that is agreed (409), on the preview and on an apply previewed before, writing nothing', async () => {
    const setup = await setUp('Threshold CSV Agreed');
    const previewed = await preview(setup, localeFile);
    expect(previewed.status).toBe(200);
    const path = `/workspaces/${setup.params.workspaceId}/cycles/${setup.params.cycleId}`;
    expect((await setup.team.admin.post(`${path}/state`, { to: 'planning', expectedVersion: 1 })).status).toBe(200);
    expect((await setup.team.admin.post(`${path}/state`, { to: 'agreed', expectedVersion: 2 })).status).toBe(200);
    const again = await preview(setup, localeFile);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('agreed');
    const refused = await apply(setup, localeFile, previewed.body.token);
    expect(refused.status).toBe(409);
    expect(await versionsOf(setup)).toEqual({ 'AGREED-1': 1, 'KEPT-1': 1, 'FRESH-1': null });
  });

  it('refuses the apply (409) when a sign-off lands between preview and apply, so no signature is saved over unseen', async () => {
    const setup = await setUp('Threshold CSV Race');
    const itemParams = { ...setup.params, itemId: setup.ids['AGREED-1'] };
    const saved = await setup.team.ops.call('saveThreshold', {
      params: itemParams,
      body: { terms: { ...pumpTerms, noticeDays: 3 }, expectedVersion: 1 },
    });
    expect(saved.status).toBe(200);
    const csv = 'code;capacityPerWeek\nAGREED-1;120\n';
    const previewed = await preview(setup, csv);
    expect(previewed.body.counts.changed).toBe(1);
    expect((await setup.team.sales.call('signOffThreshold', { params: { ...itemParams, version: 2 } })).status).toBe(201);
    const refused = await apply(setup, csv, previewed.body.token);
    expect(refused.status).toBe(409);
    expect(await headOf(setup, 'AGREED-1')).toMatchObject({ version: 2, signOffs: [{ function: 'sales' }] });
  });

  it('lets one of two racing applies of the same preview through, the other 409, each version saved once', async () => {
    const setup = await setUp('Threshold CSV Twins');
    const previewed = await preview(setup, localeFile);
    const [first, second] = await Promise.all([
      apply(setup, localeFile, previewed.body.token),
      apply(setup, localeFile, previewed.body.token, setup.team.admin),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect(await versionsOf(setup)).toEqual({ 'AGREED-1': 2, 'KEPT-1': 1, 'FRESH-1': 1 });
    const versions = await setup.team.sales.call('listThresholdVersions', {
      params: { ...setup.params, itemId: setup.ids['AGREED-1'] },
    });
    expect(versions.body.items.map((version) => version.version)).toEqual([2, 1]);
  });

  it('writes a file of more rows than one transaction holds, in batches, every row a version', async () => {
    const setup = await setUp('Threshold CSV Batches');
    const portfolio = [
      'code;name;kind;unit',
      ...Array.from({ length: 40 }, (_, index) => `BULK-${index};Bulk ${index};product;unit`),
    ].join('\n');
    const created = await setup.team.sales.call('previewPortfolioCsv', {
      params: { workspaceId: setup.team.workspaceId },
      body: { csv: portfolio },
    });
    const added = await setup.team.sales.call('applyPortfolioCsv', {
      params: { workspaceId: setup.team.workspaceId },
      body: { csv: portfolio, token: created.body.token },
    });
    expect(added.body.created).toHaveLength(40);
    const header =
      'code;capacityPerWeek;standardLeadTimeDays;flexLeadTimeDays;flexExtraCapacityPercent;expediteFeePercent;overtimeCostPerUnit;setupCost';
    const csv = [header, ...Array.from({ length: 40 }, (_, index) => `BULK-${index};${index + 1};10;5;20;8;12;400`)].join('\n');
    const previewed = await preview(setup, csv);
    expect(previewed.body.counts.new).toBe(40);
    const applied = await apply(setup, csv, previewed.body.token);
    expect(applied.status).toBe(200);
    expect(applied.body.saved).toHaveLength(40);
    const heads = await setup.team.sales.call('listCycleThresholds', { params: setup.params, query: { limit: 100 } });
    expect(
      heads.body.items
        .filter((head) => head.itemCode.startsWith('BULK-'))
        .map((head) => head.latest.terms.capacityPerWeek)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });
});

describe('the plan beside the threshold editor', () => {
  it('gives the item’s planned volume per period and its per-week equivalent with the threshold, in one round trip', async () => {
    const setup = await setUp('Threshold Plan Pumps');
    const saved = await setup.team.sales.call('saveSalesPlan', {
      params: setup.params,
      body: {
        expectedVersion: null,
        cells: [
          { code: 'AGREED-1', period: '2027-01', volume: 440 },
          { code: 'AGREED-1', period: '2027-02', volume: 300 },
          { code: 'KEPT-1', period: '2027-01', volume: 9999 },
        ],
      },
    });
    expect(saved.status).toBe(200);
    const view = await setup.team.ops.call('getThreshold', { params: { ...setup.params, itemId: setup.ids['AGREED-1'] } });
    expect(view.status).toBe(200);
    expect(Number(view.headers.get('x-accord-db-round-trips'))).toBe(1);
    expect(view.body.plan).toMatchObject({ granularity: 'month', planVersion: 1, totalVolume: 740 });
    expect(view.body.plan.periods).toHaveLength(12);
    // January 2027 has 21 working days: 440 × 5 / 21 = 104.76 a week; February's 20: 300 × 5 / 20 = 75.
    expect(view.body.plan.periods.slice(0, 3)).toEqual([
      { period: '2027-01', volume: 440, workingDays: 21, perWeek: 104.76 },
      { period: '2027-02', volume: 300, workingDays: 20, perWeek: 75 },
      { period: '2027-03', volume: 0, workingDays: 23, perWeek: 0 },
    ]);
    expect(view.body.plan.peakPerWeek).toBe(104.76);
    const unplanned = await setup.team.ops.call('getThreshold', { params: { ...setup.params, itemId: setup.ids['FRESH-1'] } });
    expect(unplanned.body.plan).toMatchObject({ planVersion: 1, totalVolume: 0, peakPerWeek: 0 });
  });
});
