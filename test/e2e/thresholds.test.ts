import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Person } from '#test/support/api';
import { openPage, phone, signInLocally, useBrowserApp } from '#test/support/browser';
import { createCycle, createItem, planningTeam, pumpTerms } from '#test/support/planning';

const app = useBrowserApp();
async function signedIn(person: Person, name: string, options: Parameters<typeof openPage>[1] = {}) {
  const page = await openPage(app.browser, options);
  await signInLocally(page, app.api.baseUrl, name, person.email);
  return page;
}

async function check(page: Page, quantity: string, leadTimeDays: string) {
  await page.getByLabel(/^Quantity/).fill(quantity);
  await page.getByLabel('or lead time (working days)').fill(leadTimeDays);
  await page.getByRole('button', { name: 'Check' }).click();
  const answer = page.getByTestId('promise-answer');
  await answer.waitFor();
  // The answer of the previous check stays until the new one arrives; wait for this one's figures.
  await expect
    .poll(() => answer.textContent())
    .toMatch(new RegExp(`^\\s*\\S+\\s+${quantity} unit by .*\\(${leadTimeDays} working days;`, 's'));
  return answer;
}

describe('agreeing a threshold and checking a promise in Chromium', () => {
  it('lets a manager edit, sales and operations sign off, and a rep on a phone check, commit and see the band change', async () => {
    const team = await planningTeam(app.api, 'Browser Pumps');
    const item = await createItem(team, 'CP-080');
    const cycle = await createCycle(team);
    const thresholdUrl = `${app.api.baseUrl}/w/${team.workspaceId}/cycles/${cycle.id}/items/${item.id}`;
    await team.ops.request('PUT', `/workspaces/${team.workspaceId}/cycles/${cycle.id}/thresholds/${item.id}`, {
      terms: { ...pumpTerms, capacityPerWeek: 80 },
      expectedVersion: null,
    });

    // The operations manager edits the proposal into version 2 and signs it.
    const ops = await signedIn(team.ops, 'Olga Ops');
    await ops.goto(thresholdUrl);
    await ops.getByLabel('Normal capacity per week (unit)').fill('100');
    await ops.getByLabel('Scope excluded (one per line)').fill('Installation\nCommissioning');
    await ops.getByRole('button', { name: 'Save new version' }).click();
    await expect.poll(() => ops.getByRole('status').textContent()).toContain('Saved as version 2');
    await expect.poll(() => ops.getByTestId('versions').locator('li').count()).toBe(2);
    expect(await ops.getByTestId('versions').locator('li').first().textContent()).toContain('Commissioning');
    await ops.getByRole('button', { name: 'Sign off version 2 for operations' }).click();
    await expect.poll(() => ops.getByRole('status').textContent()).toContain('You signed version 2 for operations');

    // The sales manager's sign-off agrees it.
    const sales = await signedIn(team.sales, 'Sam Sales');
    await sales.goto(thresholdUrl);
    await sales.getByRole('button', { name: 'Sign off version 2 for sales' }).click();
    await expect.poll(() => sales.getByRole('status').textContent()).toContain('Version 2 is agreed');

    // A rep on a phone finds the item and checks promises into each band.
    const rep = await signedIn(team.rep, 'Rita Rep', phone);
    await rep.goto(`${app.api.baseUrl}/w/${team.workspaceId}/catalogue`);
    await rep.getByLabel('Search by code or name').fill('cp-080');
    await expect.poll(() => rep.getByTestId('catalogue').locator('li').count()).toBe(1);
    const card = rep.getByTestId('catalogue').locator('li').first();
    expect(await card.textContent()).toContain('Version 2 of FY2027 budget');
    await card.getByRole('link').click();
    await rep.waitForURL(new RegExp(`/catalogue/${item.id}$`));
    expect(await rep.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    expect(await (await check(rep, '10', '10')).textContent()).toContain('Standard');
    const flex = await (await check(rep, '10', '7')).textContent();
    expect(flex).toContain('Flex');
    expect(flex).toContain('Extra cost of flex');
    expect(flex).toContain('operations manager');
    const beyond = await (await check(rep, '10', '3')).textContent();
    expect(beyond).toContain('Beyond');
    expect(beyond).toContain('Standard from');
    expect(beyond).toContain('version 2');

    const free = (
      await team.rep.get(`/workspaces/${team.workspaceId}/catalogue/${item.id}/promise-check?quantity=1&leadTimeDays=10`)
    ).body.window.freeStandard as number;
    expect(await (await check(rep, String(free), '10')).textContent()).toContain('Standard');
    await rep.getByLabel('Customer or deal reference').fill('Deal 77 Nordwasser');
    await rep.getByRole('button', { name: 'Record commitment' }).click();
    await expect.poll(() => rep.getByRole('status').first().textContent()).toContain('Commitment recorded');
    await expect.poll(() => rep.getByTestId('commitments').textContent()).toContain('Deal 77 Nordwasser');

    const after = await (await check(rep, '1', '10')).textContent();
    expect(after).toContain('Flex');
    expect(after).toContain('Free in the window: 0 within normal capacity');

    // The deep link survives a reload.
    await rep.reload();
    await rep.getByRole('heading', { name: /CP-080/ }).waitFor();

    // A commitment on a beyond answer logs a lead-time occurrence; the commitment links to its issue.
    expect(await (await check(rep, '5', '3')).textContent()).toContain('Beyond');
    await rep.getByLabel('Customer or deal reference').fill('Rush 12 Bergen');
    await rep.getByRole('button', { name: 'Record commitment' }).click();
    await expect.poll(() => rep.getByRole('status').first().textContent()).toContain('Commitment recorded');
    await rep.getByTestId('commitment-occurrence').first().click();
    await rep.getByRole('heading', { name: 'Lead time promised beyond capacity: CP-080' }).waitFor();
    await expect.poll(() => rep.getByTestId('occurrence-table').textContent()).toContain('Rush 12 Bergen');

    for (const page of [ops, sales, rep]) await page.context().close();
  });
});
