import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader } from '#contract/machine';
import { horizontalOverflow, signedInPage, useBrowserApp } from '#test/support/browser';
import { agreedItem } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

/**
 * An admin gives a CRM its API key on the API keys screen: the secret shows
 * once, works on the machine routes, and is refused once revoked.
 */
const app = useBrowserApp();
/** A write on two shared cores can take a few seconds. */
const slow = { timeout: 8000 };

let team: PlanningTeam;
let itemId: string;
let page: Page;
/** The key the admin created, as copied from the screen. */
let apiKey = '';

beforeAll(async () => {
  team = await planningTeam(app.api, 'Keyed Browser Pumps');
  itemId = (await agreedItem(team, 'KB-1')).item.id;
  page = await signedInPage(app, team.admin, 'Ada Admin', { permissions: ['clipboard-read', 'clipboard-write'] });
});

describe('API keys in the web app', () => {
  it('lets an admin create a key and shows its secret once, with a copy button', async () => {
    // From the workspace overview to the keys.
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}`);
    await page.getByRole('link', { name: 'manage API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('No keys yet.').waitFor();

    // Without a route the key is refused beside the routes, in plain words.
    await page.getByLabel('Name (the system that will use it)').fill('Pipeline CRM');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.locator('#key-routes-error').textContent(), slow).toBe('Must name at least one route');
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);

    await page.getByRole('checkbox', { name: /getCatalogueItem/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('api-key-secret');
    await secret.waitFor(slow);
    expect(await secret.textContent()).toContain('it is shown only this once');
    apiKey = await secret.getByLabel('API key').inputValue();
    expect(apiKey).toMatch(/^acc_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    await secret.getByRole('button', { name: 'Copy the key' }).click();
    await expect.poll(() => secret.getByRole('status').textContent()).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
    const keyRow = page.getByTestId('api-key-row').filter({ hasText: 'Pipeline CRM' });
    await expect.poll(() => keyRow.textContent(), slow).toContain('getCatalogueItem');
    expect(await keyRow.getByTestId('api-key-last-used').textContent()).toBe('never');
    expect(await keyRow.textContent()).toContain(`…${apiKey.slice(-4)}`);

    // Put away, the secret is nowhere on the screen, nor after a reload.
    await secret.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(apiKey.slice(5, 30));
  });

  it('shows the key working on a machine route as last used, then refuses it once revoked', async () => {
    expect(apiKey).not.toBe('');
    const keyRow = page.getByTestId('api-key-row').filter({ hasText: 'Pipeline CRM' });
    // The key works on the machine route, as a CRM calls it.
    const url = `${app.api.baseUrl}/api/machine/workspaces/${team.workspaceId}/catalogue/${itemId}`;
    const used = await fetch(url, { headers: { [apiKeyHeader]: apiKey } });
    expect(used.status).toBe(200);
    expect((await used.json()).item.code).toBe('KB-1');
    await page.reload();
    await expect.poll(() => keyRow.getByTestId('api-key-last-used').textContent(), slow).not.toBe('never');
    expect(await page.locator('main').textContent()).not.toContain(apiKey.slice(5, 30));

    // Revoking asks first; then the key is refused.
    await keyRow.getByRole('button', { name: 'Revoke Pipeline CRM' }).click();
    expect(await keyRow.getByRole('group').textContent()).toContain('cannot be undone');
    await keyRow.getByRole('button', { name: 'Yes, revoke Pipeline CRM' }).click();
    await expect.poll(() => keyRow.getByTestId('api-key-state').textContent(), slow).toMatch(/^revoked/);
    expect(await keyRow.getByRole('button', { name: 'Revoke Pipeline CRM' }).count()).toBe(0);
    const refused = await fetch(url, { headers: { [apiKeyHeader]: apiKey } });
    expect(refused.status).toBe(401);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(page.viewportSize()?.width ?? 1280);
  });

  it('shows a member who is not an admin no keys and no way to make one', async () => {
    const page = await signedInPage(app, team.ops, 'Olga Ops');
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}`);
    await page.getByTestId('your-membership').waitFor();
    expect(await page.getByRole('link', { name: 'manage API keys' }).count()).toBe(0);
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}/api-keys`);
    await page.getByText('Only the workspace’s admins manage API keys.').waitFor();
    expect(await page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
  });
});
