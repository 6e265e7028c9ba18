import { beforeAll, describe, expect, it } from 'vitest';
import { audited, horizontalOverflow, phone, seriousAxeFindings, signedInPage, useBrowserApp } from '#test/support/browser';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';

const app = useBrowserApp();
let team: PlanningTeam;
let params: { workspaceId: string; cycleId: string };
let planned: { id: string };

beforeAll(async () => {
  team = await planningTeam(app.api, 'Browser Threshold CSV');
  planned = await createItem(team, 'TC-1');
  await createItem(team, 'TC-2');
  const cycle = await createCycle(team, 'FY2027 thresholds', { startDate: '2027-01-01', endDate: '2027-12-31' });
  params = { workspaceId: team.workspaceId, cycleId: cycle.id };
  await agree(team, cycle.id, planned.id);
  const plan = await team.sales.call('saveSalesPlan', {
    params,
    body: { expectedVersion: null, cells: [{ code: 'TC-1', period: '2027-01', volume: 440 }] },
  });
  expect(plan.status).toBe(200);
});

/** Semicolons and decimal commas, as a spreadsheet in a decimal-comma locale saves it. */
const csv = [
  'code;capacityPerWeek;overtimeCostPerUnit;standardLeadTimeDays;flexLeadTimeDays;flexExtraCapacityPercent;expediteFeePercent;setupCost',
  'TC-1;120,5;12;;;;;',
  'TC-2;80;9,75;10;5;20;8;400',
].join('\r\n');

describe('thresholds by CSV in Chromium on a 390 px phone', () => {
  it('previews a semicolon, decimal-comma file, applies it, and the editor shows the new values with the plan beside them', async () => {
    const page = await signedInPage(app, team.ops, 'Olga Ops', { ...phone, ...audited });
    await page.goto(`${app.api.baseUrl}/w/${params.workspaceId}/cycles/${params.cycleId}`);
    await page.getByTestId('cycle-thresholds').waitFor();
    await page
      .getByLabel('Thresholds CSV file')
      .setInputFiles({ name: 'thresholds.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.getByTestId('threshold-csv-preview');
    await preview.waitFor();
    await expect.poll(() => page.getByTestId('count-new').textContent()).toBe('1 new');
    await expect.poll(() => page.getByTestId('count-changed').textContent()).toBe('1 changed');
    await expect.poll(() => preview.textContent()).toContain('separated by semicolon, decimal comma');
    const changed = page.getByTestId('threshold-csv-preview-table').locator('tbody tr', { hasText: 'TC-1' });
    await expect.poll(() => changed.textContent()).toContain('Saves version 2');
    await expect.poll(() => changed.textContent()).toContain('capacityPerWeek: 100 → 120.5');

    // The preview fits the phone and passes axe before anything is written.
    const overflow = await horizontalOverflow(page);
    expect(overflow.wide).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(390);
    expect(await seriousAxeFindings(page)).toEqual([]);
    const before = await team.ops.call('listCycleThresholds', { params });
    expect(before.body.items.map((head) => [head.itemCode, head.version])).toEqual([['TC-1', 1]]);

    await page.getByRole('button', { name: 'Apply 2 changes' }).click();
    await page.getByText('Applied thresholds.csv: 2 new versions, each waiting for sales and operations sign-off.').waitFor();
    const rowOf = (code: string) => page.getByTestId('cycle-thresholds').locator('tbody tr', { hasText: code });
    await expect.poll(() => rowOf('TC-1').textContent()).toContain('v2 pending (v1 agreed)');
    await expect.poll(() => rowOf('TC-2').textContent()).toContain('v1 pending');

    // The editor shows the new values, and the plan beside them against the capacity typed.
    await page.getByRole('link', { name: /TC-1/ }).click();
    const capacity = page.getByLabel('Normal capacity per week (unit)');
    await expect.poll(() => capacity.inputValue()).toBe('120.5');
    expect(await page.getByLabel('Overtime cost per unit').inputValue()).toBe('12');
    // January 2027: 440 planned over 21 working days is 104.76 a week, within 120.5 × 21 / 5 = 506.1.
    await expect.poll(() => page.getByTestId('plan-peak').textContent()).toMatch(/peak is\s+104\.76 unit a week/);
    const january = page.getByTestId('plan-beside-table').locator('tbody tr', { hasText: '2027-01' });
    expect((await january.locator('td').allTextContents()).map((text) => text.trim())).toEqual([
      '2027-01',
      '440',
      '104.76',
      'Within normal',
    ]);
    // Typing a capacity below the plan's peak shows the period needing flex before anything is saved.
    await capacity.fill('90');
    await expect.poll(() => january.locator('td').last().textContent()).toBe('Needs flex');
    expect(await horizontalOverflow(page).then((found) => found.wide)).toEqual([]);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.context().close();
  });

  it('filters the load view by rep and opens the commitments behind a cell', async () => {
    const record = (who: PlanningTeam['rep'], reference: string) =>
      who.call('recordCommitment', {
        params: { workspaceId: params.workspaceId, itemId: planned.id },
        body: { reference, quantity: 5, deliveryDate: '2027-01-20' },
      });
    expect((await record(team.rep, 'SO-LOAD-REP')).status).toBe(201);
    expect((await record(team.admin, 'SO-LOAD-ADMIN')).status).toBe(201);
    const page = await signedInPage(app, team.ops, 'Olga Ops');
    await page.goto(`${app.api.baseUrl}/w/${params.workspaceId}/cycles/${params.cycleId}/plan`);
    const january = page.getByRole('link', { name: 'committed 10: the commitments of TC-1 in 2027-01' });
    await january.waitFor();
    await page.getByRole('combobox', { name: 'Commitments of', exact: true }).selectOption(team.rep.email);
    const repOnly = page.getByRole('link', { name: 'committed 5: the commitments of TC-1 in 2027-01' });
    await repOnly.waitFor();
    await expect.poll(() => page.getByTestId('load-rep').textContent()).toContain(team.rep.email);
    await repOnly.click();
    await page.getByTestId('commitment-table').waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/w/${params.workspaceId}/commitments`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      itemId: planned.id,
      from: '2027-01-01',
      to: '2027-01-31',
      rep: team.rep.email,
    });
    await expect
      .poll(() => page.getByTestId('commitment-table').locator('tbody tr').allTextContents())
      .toEqual([expect.stringContaining('SO-LOAD-REP')]);
    await page.context().close();
  });
});
