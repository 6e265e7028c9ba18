import { beforeAll, describe, expect, it } from 'vitest';
import { type Person, uniqueEmail } from '#test/support/api';
import { openPage, phone, signInLocally, useBrowserApp } from '#test/support/browser';

let admin: Person;
let workspaceId: string;
const invitee = uniqueEmail('audited-invitee');

const app = useBrowserApp();
beforeAll(async () => {
  admin = await app.api.person('audit-screen-admin');
  workspaceId = (await admin.post('/workspaces', { name: 'Screened Audit Co' })).body.id;
  await admin.post(`/workspaces/${workspaceId}/members`, { email: invitee, function: 'sales', role: 'rep' });
  await admin.post(`/workspaces/${workspaceId}/portfolio-items`, {
    code: 'AS-1',
    name: 'Audited item',
    kind: 'product',
    unit: 'unit',
  });
});

describe('the audit screen in Chromium', () => {
  it('lists the workspace’s changes newest first and filters them', async () => {
    const page = await openPage(app.browser, phone);
    await signInLocally(page, app.api.baseUrl, 'audit-screen-admin', admin.email);
    await page.goto(`${app.api.baseUrl}/w/${workspaceId}/audit`);
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const rows = page.getByTestId('audit-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => rows.first().textContent()).toContain('portfolioItem.created');
    await expect.poll(() => rows.last().textContent()).toContain('workspace.created');

    await page.getByLabel('Entity').fill('member');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain(invitee);
  });
});
