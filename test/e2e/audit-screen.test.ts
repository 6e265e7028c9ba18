import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { launchBrowser, openPage, phone, signInLocally } from '#test/support/browser';

let api: TestApi;
let browser: Browser;
let admin: Person;
let workspaceId: string;
const invitee = uniqueEmail('audited-invitee');

beforeAll(async () => {
  api = await startApi({ webRoot: resolve(import.meta.dirname, '../../web/dist') });
  browser = await launchBrowser();
  admin = await api.person('audit-screen-admin');
  workspaceId = (await admin.post('/workspaces', { name: 'Screened Audit Co' })).body.id;
  await admin.post(`/workspaces/${workspaceId}/members`, { email: invitee, function: 'sales', role: 'rep' });
  await admin.post(`/workspaces/${workspaceId}/portfolio-items`, {
    code: 'AS-1',
    name: 'Audited item',
    kind: 'product',
    unit: 'unit',
  });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the audit screen in Chromium', () => {
  it('lists the workspace’s changes newest first and filters them', async () => {
    const page = await openPage(browser, phone);
    await signInLocally(page, api.baseUrl, 'audit-screen-admin', admin.email);
    await page.goto(`${api.baseUrl}/w/${workspaceId}/audit`);
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
