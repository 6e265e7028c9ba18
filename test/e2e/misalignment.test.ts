import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signInAs, uniqueEmail } from '#test/support/api';
import { openPage, phone, signInLocally, useBrowserApp } from '#test/support/browser';

const app = useBrowserApp();
const signIn = (page: Page, name: string, email: string) => signInLocally(page, app.api.baseUrl, name, email);

async function logIssue(page: Page, workspaceId: string, title: string, category: string) {
  await page.goto(`${app.api.baseUrl}/w/${workspaceId}/issues`);
  await page.locator('input[name=issue-title]').fill(title);
  await page.locator('select[name=issue-category]').selectOption(category);
  await page.getByRole('button', { name: 'Log issue' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
}

async function logOccurrence(page: Page, costs: Record<string, string>, detectedAt = 'production') {
  await page.locator('select[name=detected-at]').selectOption(detectedAt);
  for (const [type, amount] of Object.entries(costs)) await page.locator(`input[name="cost-${type}"]`).fill(amount);
  await page.getByRole('button', { name: 'Log occurrence' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toContain('Occurrence logged');
}

const rankingTitles = (page: Page) => page.getByTestId('ranking-table').locator('tbody tr td:nth-child(2) a').allTextContents();

describe('misalignment issues and ranking in Chromium', () => {
  it('logs issues with costed occurrences, ranks them with explained scores and a Pareto chart, votes and freezes', async () => {
    const email = uniqueEmail('sam');
    const manager = await signInAs(app.api, email, 'Sam Sales');
    const workspaceId = (await manager.post('/workspaces', { name: 'Browser Issue Pumps' })).body.id as string;
    const year = new Date().getUTCFullYear();
    const cycle = await manager.post(`/workspaces/${workspaceId}/cycles`, {
      name: `FY${year} budget`,
      startDate: `${year}-01-01`,
      endDate: `${year}-12-31`,
    });
    expect(cycle.status).toBe(201);
    const page = await openPage(app.browser);
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'Sam Sales', email);

    await logIssue(page, workspaceId, 'Lead times promised beyond capacity', 'lead time');
    await logOccurrence(page, { 'expedite fees': '1200', 'extra resources': '800' }, 'delivery');
    await expect.poll(() => page.getByTestId('issue-total-cost').textContent()).toMatch(/2,000/);
    await expect.poll(() => page.getByTestId('occurrence-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('score-explanation').textContent()).toMatch(
      /^[\d.]+ = [\d.]+ cost \+ [\d.]+ recent cost \+ [\d.]+ frequency \+ [\d.]+ detection$/,
    );

    // Correct it: a new version, and the totals follow.
    await page.getByRole('button', { name: /Correct the occurrence of/ }).click();
    await page.locator('input[name="cost-expedite fees"]').fill('1500');
    await page.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Occurrence corrected');
    await expect.poll(() => page.getByTestId('issue-total-cost').textContent()).toMatch(/2,300/);
    expect(await page.getByTestId('occurrence-table').locator('tbody tr').first().textContent()).toContain('corrected (v2)');

    await logIssue(page, workspaceId, 'Scope sold differently from delivery', 'scope');
    await logOccurrence(page, { 'setup change': '300' }, 'quoting');

    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Ranking' }).click();
    await expect
      .poll(() => rankingTitles(page))
      .toEqual(['Lead times promised beyond capacity', 'Scope sold differently from delivery']);
    expect(await page.getByTestId('ranking-explanation').first().textContent()).toMatch(/ cost \+ .* detection$/);
    expect(await page.getByTestId('pareto-bar').count()).toBe(2);
    expect(await page.getByTestId('pareto-table').locator('tbody tr').first().textContent()).toContain('lead time');
    expect(await page.getByTestId('pareto-table').locator('tbody tr').last().textContent()).toContain('100%');

    // A costly new occurrence moves the scope issue to the top of ranking and Pareto.
    await page.getByRole('link', { name: 'Scope sold differently from delivery' }).click();
    await page.getByRole('heading', { name: 'Scope sold differently from delivery' }).waitFor();
    await logOccurrence(page, { 'delayed production': '25000' }, 'customer complaint');
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Ranking' }).click();
    await expect
      .poll(() => rankingTitles(page))
      .toEqual(['Scope sold differently from delivery', 'Lead times promised beyond capacity']);
    await expect.poll(() => page.getByTestId('pareto-table').locator('tbody tr').first().textContent()).toContain('scope');
    await page.getByRole('button', { name: 'By issue' }).click();
    expect(await page.getByTestId('pareto-table').locator('tbody tr').first().textContent()).toContain('Scope sold differently');

    // Dot votes.
    await expect.poll(() => page.getByTestId('votes-left').textContent()).toContain('10 of 10 votes left');
    await page.getByLabel('Your votes for Lead times promised beyond capacity').fill('4');
    await expect.poll(() => page.getByTestId('votes-left').textContent()).toContain('6 of 10 votes left');
    await page.getByRole('button', { name: 'Save votes' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your votes are saved');
    await expect.poll(() => page.getByTestId('entry-votes').allTextContents()).toEqual(['0', '4']);

    // Freeze.
    await page.locator('input[name=freeze-note]').fill('Agreed in the budget meeting');
    await page.getByRole('button', { name: 'Freeze ranking' }).click();
    await expect.poll(() => page.getByTestId('frozen-notice').textContent()).toContain('Agreed in the budget meeting');
    expect(await page.getByTestId('frozen-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Save votes' }).count()).toBe(0);

    // The issue log filters by title text and category.
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Issues' }).click();
    await expect.poll(() => page.getByTestId('issue-table').locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Title contains').fill('scope sold');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByTestId('issue-table').locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Title contains').fill('');
    await page.getByText('More filters').click();
    await page.locator('select[name=filter-category]').selectOption('lead time');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(() => page.getByTestId('issue-table').locator('tbody tr').allTextContents())
      .toEqual([expect.stringContaining('Lead times promised beyond capacity')]);

    // A rep on a phone sees the same ranking and chart without the manager's controls.
    const repEmail = uniqueEmail('rita');
    await manager.post(`/workspaces/${workspaceId}/members`, { email: repEmail, function: 'sales', role: 'rep' });
    const repPage = await openPage(app.browser, phone);
    await signIn(repPage, 'Rita Rep', repEmail);
    await repPage.goto(`${app.api.baseUrl}/w/${workspaceId}/ranking`);
    await expect.poll(() => rankingTitles(repPage)).toHaveLength(2);
    await repPage.getByTestId('pareto-chart').waitFor();
    expect(await repPage.getByRole('button', { name: 'Freeze ranking' }).count()).toBe(0);
    const overflow = await repPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    for (const open of [page, repPage]) await open.context().close();
  });
});
