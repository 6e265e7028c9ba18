import { beforeAll, describe, expect, it } from 'vitest';
import { audited, horizontalOverflow, phone, seriousAxeFindings, signedInPage, useBrowserApp } from '#test/support/browser';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

const app = useBrowserApp();
let team: PlanningTeam;

beforeAll(async () => {
  team = await planningTeam(app.api, 'Browser CSV Pumps');
  const created = await team.sales.call('createPortfolioItem', {
    params: { workspaceId: team.workspaceId },
    body: { code: 'BR-1', name: 'Browser pump', kind: 'product', unit: 'unit', family: 'Pumps', listPrice: 10 },
  });
  expect(created.status).toBe(201);
});

describe('update by CSV in Chromium on a 390 px phone', () => {
  it('uploads a semicolon file, shows the preview with before → after, and applies it', async () => {
    const page = await signedInPage(app, team.sales, 'Sam Sales', { ...phone, ...audited });
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}/portfolio`);
    await page.getByRole('heading', { name: 'Portfolio', exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('portfolio-table').locator('tbody tr:not(.family)').count()).toBe(1);

    const csv = [
      'code;name;kind;unit;family;listPrice',
      'BR-1;Browser pump;product;unit;Big pumps;12,5',
      'BR-2;Browser valve;product;unit;Valves;7,25',
    ].join('\r\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.getByTestId('csv-preview');
    await preview.waitFor();
    await expect.poll(() => page.getByTestId('count-new').textContent()).toBe('1 new');
    await expect.poll(() => page.getByTestId('count-changed').textContent()).toBe('1 changed');
    await expect.poll(() => preview.textContent()).toContain('separated by semicolon, decimal comma');
    const changedRow = page.getByTestId('csv-preview-table').locator('tbody tr', { hasText: 'BR-1' });
    await expect.poll(() => changedRow.textContent()).toContain('family: Pumps → Big pumps');
    await expect.poll(() => changedRow.textContent()).toContain('listPrice: 10 → 12.5');

    // The preview fits the phone and passes axe before anything is written.
    const overflow = await horizontalOverflow(page);
    expect(overflow.wide).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(390);
    expect(await seriousAxeFindings(page)).toEqual([]);
    const before = await team.rep.call('listPortfolioItems', { params: { workspaceId: team.workspaceId } });
    expect(before.body.items.map((item) => item.listPrice)).toEqual([10]);

    const applyButton = page.getByRole('button', { name: 'Apply 2 changes' });
    await applyButton.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Applied prices.csv: 1 added, 1 changed.').waitFor();
    await expect.poll(() => page.getByTestId('family-row').allTextContents()).toEqual(['Big pumps · 1 item', 'Valves · 1 item']);

    const after = await team.rep.call('listPortfolioItems', { params: { workspaceId: team.workspaceId } });
    expect(after.body.items.map((item) => [item.code, item.family, item.listPrice])).toEqual([
      ['BR-1', 'Big pumps', 12.5],
      ['BR-2', 'Valves', 7.25],
    ]);
    await page.context().close();
  });
});
