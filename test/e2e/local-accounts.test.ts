import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAccounts, type LocalAccounts } from '#scripts/local/local-accounts';
import { createLocalAuth } from '#scripts/local/local-auth';
import { serve } from '#scripts/local/serve';
import { uniqueEmail } from '#test/support/api';
import { launchBrowser, openPage } from '#test/support/browser';

/** The web app against a local server that serves other machines: passwords and one-time links, never "pick any email". */
let browser: Browser;
let accounts: LocalAccounts;
let started: { server: Server; url: string };
let base: string;

beforeAll(async () => {
  accounts = createLocalAccounts();
  started = await serve({
    auth: await createLocalAuth(),
    accounts,
    port: 0,
    webRoot: resolve(import.meta.dirname, '../../web/dist'),
    webConfig: { signInHints: [{ email: 'anyone@test.example', name: 'Anyone', function: 'sales', role: 'rep' }] },
  });
  base = `http://127.0.0.1:${(started.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => started?.server.close(done));
});

describe('local accounts in Chromium', () => {
  it('sets a password from a one-time link, hands the invitee theirs, and never offers to pick an email', async () => {
    const adminEmail = uniqueEmail('acct-admin');
    const salesEmail = uniqueEmail('acct-sales');

    const signInPage = await openPage(browser);
    await signInPage.goto(`${base}/sign-in`);
    await signInPage.getByLabel('Password', { exact: true }).waitFor();
    expect(await signInPage.getByLabel('Name').count()).toBe(0);
    expect(await signInPage.content()).not.toContain('anyone@test.example');

    const admin = await openPage(browser);
    await admin.goto(`${base}/set-password#${accounts.issueLink(adminEmail, 'Ada').token}`);
    await admin.getByLabel('Password', { exact: true }).fill('ada password 1');
    await admin.getByLabel('Password again').fill('ada password 1');
    await admin.getByRole('button', { name: 'Set password and sign in' }).click();
    await admin.getByRole('heading', { name: 'Your workspaces' }).waitFor();
    await admin.getByLabel('Company name').fill('Account Pumps');
    await admin.getByRole('button', { name: 'Create' }).click();
    await admin.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    await admin.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    await admin.getByLabel('Email').fill(salesEmail);
    await admin.getByRole('button', { name: 'Invite' }).click();
    const link = admin.locator('code.set-password-link');
    await link.waitFor();
    const url = String(await link.textContent());
    expect(url).toContain('/set-password#');

    const sales = await openPage(browser);
    await sales.goto(`${base}/set-password#${url.split('#')[1]}`);
    await sales.getByLabel('Password', { exact: true }).fill('sam password 1');
    await sales.getByLabel('Password again').fill('sam password 1');
    await sales.getByRole('button', { name: 'Set password and sign in' }).click();
    await sales.getByRole('link', { name: 'Account Pumps' }).waitFor();

    // The link is used up.
    const again = await openPage(browser);
    await again.goto(`${base}/set-password#${url.split('#')[1]}`);
    await again.getByLabel('Password', { exact: true }).fill('other password 1');
    await again.getByLabel('Password again').fill('other password 1');
    await again.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect.poll(() => again.getByRole('alert').textContent()).toContain('used already');

    // And the invitee signs in with the password they chose.
    await signInPage.getByLabel('Email').fill(salesEmail);
    await signInPage.getByLabel('Password', { exact: true }).fill('sam password 1');
    await signInPage.getByRole('button', { name: 'Sign in' }).click();
    await signInPage.getByRole('link', { name: 'Account Pumps' }).waitFor();

    for (const page of [signInPage, admin, sales, again]) await page.context().close();
  });
});
