import { describe, expect, it } from 'vitest';
import type { Person } from '#test/support/api';
import { openPage, phone, signInLocally, useBrowserApp } from '#test/support/browser';
import { agree, createCycle, createItem, planningTeam } from '#test/support/planning';

const app = useBrowserApp();
async function signedIn(person: Person, name: string, options: Parameters<typeof openPage>[1] = {}) {
  const page = await openPage(app.browser, options);
  await signInLocally(page, app.api.baseUrl, name, person.email);
  return page;
}

describe('approving a flex commitment in two browsers', () => {
  it('shows the rep the approval on the item page within 3 s, without a reload', async () => {
    const team = await planningTeam(app.api, 'Approval Browser Pumps');
    const item = await createItem(team, 'CP-APP');
    const cycle = await createCycle(team);
    await agree(team, cycle.id, item.id);

    // The rep, on a phone, checks a flex promise and records it: it waits for approval.
    const rep = await signedIn(team.rep, 'Rita Rep', phone);
    await rep.goto(`${app.api.baseUrl}/w/${team.workspaceId}/catalogue/${item.id}`);
    await rep.getByLabel(/^Quantity/).fill('10');
    await rep.getByLabel('or lead time (working days)').fill('7');
    await rep.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => rep.getByTestId('promise-answer').textContent()).toContain('Flex');
    await rep.getByLabel('Customer or deal reference').fill('Deal 88 Fjordvann');
    await rep.getByRole('button', { name: 'Record commitment' }).click();
    await expect.poll(() => rep.getByTestId('commitments').textContent()).toContain('Deal 88 Fjordvann');
    const status = rep.getByTestId('commitment-status').first();
    await expect.poll(() => status.textContent()).toBe('awaiting approval');

    // The operations manager, in another browser context, sees it awaiting, looks at its impact and approves it.
    const ops = await signedIn(team.ops, 'Olga Ops');
    await ops.goto(`${app.api.baseUrl}/w/${team.workspaceId}`);
    const awaiting = ops.getByTestId('awaiting-approval');
    await expect.poll(() => awaiting.textContent()).toContain('Deal 88 Fjordvann');
    await awaiting.getByRole('button', { name: 'See the impact' }).first().click();
    await expect.poll(() => awaiting.getByRole('table').count()).toBe(1);
    expect(await awaiting.getByRole('table').textContent()).toContain('Flex band left');
    await awaiting.getByRole('button', { name: 'Approve Deal 88 Fjordvann' }).click();
    await expect.poll(() => ops.getByRole('status').first().textContent()).toContain('approved');
    const approvedAt = Date.now();

    // The rep's page, untouched, shows the decision within 3 s.
    await expect.poll(() => status.textContent(), { timeout: 3000, interval: 100 }).toBe('approved');
    expect(Date.now() - approvedAt).toBeLessThan(3000);
    expect(await rep.getByTestId('commitments').textContent()).toMatch(/approved by Olga Ops/);
    expect(await rep.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // And on the rep's overview, with the time it took.
    await rep.goto(`${app.api.baseUrl}/w/${team.workspaceId}`);
    await expect.poll(() => rep.getByTestId('my-approvals').textContent()).toMatch(/approved\s*by Olga Ops after/);
  });
});
