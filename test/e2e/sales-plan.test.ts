import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signedInPage, useBrowserApp } from '#test/support/browser';
import { agree, createCycle, planningTeam } from '#test/support/planning';

const app = useBrowserApp();

/*
 * January 2027 with 1 January off has 20 working days: the fixture threshold
 * of 100 a week gives 400 of normal capacity and 480 with 20 % flex, so 450
 * needs flex.
 */
async function setUp(name: string) {
  const team = await planningTeam(app.api, name);
  const create = async (code: string, family: string) => {
    const answer = await team.admin.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: { code, name: `Item ${code}`, kind: 'product', unit: 'unit', family },
    });
    expect(answer.status).toBe(201);
    return answer.body;
  };
  const pump = await create('PL-100', 'Pumps');
  await create('PL-200', 'Valves');
  const cycle = await createCycle(team, 'FY2027 plan', {
    startDate: '2027-01-01',
    endDate: '2027-12-31',
    holidays: ['2027-01-01'],
  });
  await agree(team, cycle.id, pump.id);
  const params = { workspaceId: team.workspaceId, cycleId: cycle.id };
  return { team, params, url: `${app.api.baseUrl}/w/${team.workspaceId}/cycles/${cycle.id}/plan` };
}

const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('the sales plan screen in Chromium', () => {
  it('takes volumes typed with the keyboard, saves them, shows them after a reload, and the load says a cell needs flex', async () => {
    const { team, params, url } = await setUp('Plan Grid Pumps');
    const page = await signedInPage(app, team.sales, 'Sam Sales');
    await page.goto(url);
    await page.getByRole('heading', { name: 'Sales plan of FY2027 plan', level: 1 }).waitFor();

    await page.getByLabel('PL-100 2027-01').click();
    await page.keyboard.type('450');
    await page.keyboard.press('Enter');
    expect(await focusedLabel(page)).toBe('PL-200 2027-01');
    await page.keyboard.type('30');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel(page)).toBe('PL-200 2027-02');
    await page.keyboard.press('ArrowUp');
    expect(await focusedLabel(page)).toBe('PL-100 2027-02');
    await page.keyboard.type('200');
    await expect.poll(() => page.getByTestId('plan-total').textContent()).toBe('680');

    await page.getByRole('button', { name: 'Save 3 changes' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Saved as version 1');
    const saved = await team.rep.call('getSalesPlan', { params });
    expect(saved.body.version).toBe(1);
    expect(saved.body.families.flatMap((family) => family.items).map((item) => [item.code, item.volumes])).toEqual([
      ['PL-100', { '2027-01': 450, '2027-02': 200 }],
      ['PL-200', { '2027-01': 30 }],
    ]);

    await page.reload();
    await page.getByLabel('PL-100 2027-01').waitFor();
    expect(await page.getByLabel('PL-100 2027-01').inputValue()).toBe('450');
    expect(await page.getByLabel('PL-200 2027-01').inputValue()).toBe('30');

    const load = page.getByTestId('plan-load');
    await load.waitFor();
    const pumpRow = load.locator('tr', { has: page.getByText('PL-100', { exact: true }) });
    const january = pumpRow.getByTestId('load-cell').first();
    expect(await january.textContent()).toMatch(/Needs flex/i);
    expect(await january.getAttribute('class')).toContain('flex');
    expect(await pumpRow.getByTestId('load-cell').nth(1).textContent()).toMatch(/Within normal/);
    // Without a threshold the valve's cell says so rather than guessing a capacity.
    const valveRow = load.locator('tr', { has: page.getByText('PL-200', { exact: true }) });
    expect(await valveRow.getByTestId('load-cell').first().textContent()).toMatch(/No threshold/);
    expect(await page.getByTestId('load-totals').textContent()).toMatch(/680 planned, 0 committed, flex cost €1,000/);

    // The family filter narrows the load to one family's items.
    await page.locator('select[name=load-family]').selectOption('Pumps');
    await expect.poll(() => load.getByText('PL-200', { exact: true }).count()).toBe(0);
    expect(await load.getByText('PL-100', { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('plan-grid').getByText('Valves total').count()).toBe(1);
  });

  it('refuses a save based on a stale version with a plain message and shows the latest plan', async () => {
    const { team, params, url } = await setUp('Plan Race Pumps');
    const page = await signedInPage(app, team.sales, 'Sam Sales');
    await page.goto(url);
    await page.getByLabel('PL-100 2027-03').fill('12');
    // A colleague saves first.
    const first = await team.admin.call('saveSalesPlan', {
      params,
      body: { expectedVersion: null, cells: [{ code: 'PL-200', period: '2027-03', volume: 99 }] },
    });
    expect(first.status).toBe(200);
    await page.getByRole('button', { name: 'Save 1 change' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('The plan was not saved');
    await expect.poll(() => page.getByLabel('PL-200 2027-03').inputValue()).toBe('99');
    expect(await page.getByLabel('PL-100 2027-03').inputValue()).toBe('');
    expect((await team.rep.call('getSalesPlan', { params })).body.version).toBe(1);
  });

  it('updates the plan from a CSV file after showing what it would change', async () => {
    const { team, params, url } = await setUp('Plan File Pumps');
    const page = await signedInPage(app, team.sales, 'Sam Sales');
    await page.goto(url);
    await page.getByLabel('Plan CSV file').setInputFiles({
      name: 'plan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('code;period;volume\nPL-100;2027-05;12,5\nPL-200;2027-05;0\n'),
    });
    const preview = page.getByTestId('plan-csv-preview');
    await preview.waitFor();
    expect(await preview.getByRole('status').textContent()).toMatch(
      /semicolon, decimal comma:\s+1 new, 0 changed,\s+1 unchanged/,
    );
    expect((await team.rep.call('getSalesPlan', { params })).body.version).toBeNull();
    await page.getByRole('button', { name: 'Apply 1 change' }).click();
    await expect.poll(() => page.getByText(/Applied plan\.csv as version 1/).count()).toBe(1);
    await expect.poll(() => page.getByLabel('PL-100 2027-05').inputValue()).toBe('12.5');
    expect((await team.rep.call('getSalesPlan', { params })).body.totalVolume).toBe(12.5);
  });

  it('is read-only for the sales manager once the cycle is agreed', async () => {
    const { team, params, url } = await setUp('Plan Agreed Pumps');
    const path = `/workspaces/${params.workspaceId}/cycles/${params.cycleId}`;
    expect((await team.admin.post(`${path}/state`, { to: 'planning', expectedVersion: 1 })).status).toBe(200);
    expect((await team.admin.post(`${path}/state`, { to: 'agreed', expectedVersion: 2 })).status).toBe(200);
    const page = await signedInPage(app, team.sales, 'Sam Sales');
    await page.goto(url);
    await page.getByTestId('plan-grid').waitFor();
    expect(await page.getByRole('note').textContent()).toContain('read-only: the cycle is agreed');
    expect(await page.getByTestId('plan-grid').locator('input').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Save/ }).count()).toBe(0);
    expect(await page.getByLabel('Plan CSV file').count()).toBe(0);
    await page.getByTestId('plan-load').waitFor();
  });

  it('is read-only for a rep, and shows no load', async () => {
    const { team, url } = await setUp('Plan Rep Pumps');
    const page = await signedInPage(app, team.rep, 'Rita Rep');
    await page.goto(url);
    await page.getByTestId('plan-grid').waitFor();
    expect(await page.getByTestId('plan-grid').locator('input').count()).toBe(0);
    expect(await page.getByRole('note').textContent()).toContain('read-only');
    expect(await page.getByTestId('plan-load').count()).toBe(0);
  });
});
