import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '#test/support/api';
import { openPage, phone, signInLocally, useBrowserApp } from '#test/support/browser';

const app = useBrowserApp();
const signIn = (page: Page, name: string, email: string) => signInLocally(page, app.api.baseUrl, name, email);

describe('walking skeleton in Chromium', () => {
  it('signs in, creates a workspace, invites a member, and shows the workspace to that member only', async () => {
    const adminEmail = uniqueEmail('ada');
    const salesEmail = uniqueEmail('sam');
    const admin = await openPage(app.browser);
    await signIn(admin, 'Ada Admin', adminEmail);

    await admin.getByLabel('Company name').fill('Browser Pumps');
    await admin.getByRole('button', { name: 'Create' }).click();
    await admin.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    const workspaceUrl = admin.url();
    await expect.poll(() => admin.getByTestId('your-membership').textContent()).toContain('You are admin in management');

    await admin.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    await admin.getByLabel('Email').fill(salesEmail);
    await admin.getByLabel('Name (optional)').fill('Sam Sales');
    await admin.locator('select[name=invite-function]').selectOption('sales');
    await admin.locator('select[name=invite-role]').selectOption('manager');
    await admin.getByRole('button', { name: 'Invite' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain(`${salesEmail} was invited as sales manager`);
    await expect.poll(() => admin.getByTestId('member-table').locator('tbody tr').count()).toBe(2);

    // A deep link survives a reload.
    await admin.reload();
    await expect.poll(() => admin.getByTestId('member-table').locator('tbody tr').count()).toBe(2);

    const sales = await openPage(app.browser, phone);
    await signIn(sales, 'Sam Sales', salesEmail);
    await sales.getByRole('link', { name: 'Browser Pumps' }).click();
    await expect.poll(() => sales.getByTestId('your-membership').textContent()).toContain('You are manager in sales');
    expect(await sales.getByTestId('workspace-name').textContent()).toBe('Browser Pumps');
    // A manager sees the members but cannot invite.
    await sales.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    await expect.poll(() => sales.getByTestId('member-table').locator('tbody tr').count()).toBe(2);
    expect(await sales.getByRole('button', { name: 'Invite' }).count()).toBe(0);

    const outsider = await openPage(app.browser);
    await signIn(outsider, 'Otto Outsider', uniqueEmail('otto'));
    await outsider.goto(workspaceUrl);
    await outsider.getByRole('heading', { name: 'Workspace unavailable' }).waitFor();
    expect(await outsider.content()).not.toContain('Browser Pumps');

    for (const page of [admin, sales, outsider]) await page.context().close();
  });

  it('brings a signed-out visitor of a deep link back to it after signing in', async () => {
    const page = await openPage(app.browser);
    await page.goto(`${app.api.baseUrl}/w/00000000-0000-4000-8000-000000000000/members`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('Name').fill('Nina');
    await page.getByLabel('Email').fill(uniqueEmail('nina'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/w\/00000000-0000-4000-8000-000000000000\/members$/);
    await page.getByRole('heading', { name: 'Workspace unavailable' }).waitFor();
    await page.context().close();
  });
});
