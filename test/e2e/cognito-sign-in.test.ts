import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../scripts/local/local-auth';
import { createLocalServer } from '../../scripts/local/server';
import { uniqueEmail } from '../support/api';
import { launchBrowser, openPage } from '../support/browser';
import { type FakeCognito, startFakeCognito } from '../support/fake-cognito';

/**
 * The deployed sign-in path in a real browser: the same build, told by
 * `config.json` to use Cognito, against a stand-in for Cognito's OAuth
 * endpoints (test/support/fake-cognito.ts) that checks PKCE as Cognito does
 * and hands out ID tokens the local API accepts.
 */
const clientId = 'web-client';
const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let browser: Browser;
let app: Server;
let cognito: FakeCognito;
let appUrl: string;
const person = { email: uniqueEmail('cora'), name: 'Cora Cognito' };

beforeAll(async () => {
  const auth = await createLocalAuth();
  // The front server's URL is only known once it listens, and config.json is read per request.
  const webConfig = { auth: { mode: 'cognito', domain: '', clientId } };
  app = createLocalServer({ auth, webRoot: resolve(import.meta.dirname, '../../web/dist'), webConfig });
  cognito = await startFakeCognito({ auth, person, upstream: await listen(app), clientId });
  webConfig.auth.domain = cognito.url;
  appUrl = cognito.url;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (app ? app.close(() => done()) : done()));
  await cognito?.close();
});

describe('sign-in through Cognito (authorization code + PKCE), selected by config.json', () => {
  it('signs in through the managed login, returns to the page asked for, and signs out of Cognito too', async () => {
    const page = await openPage(browser);
    const deepLink = `/w/${randomUUID()}/members`;
    await page.goto(`${appUrl}${deepLink}`);
    await page.waitForURL(/\/sign-in\?next=/);
    const continueButton = page.getByRole('button', { name: 'Continue to sign-in' });
    await continueButton.waitFor();
    await expect(page.getByLabel('Email').count()).resolves.toBe(0);
    await continueButton.click();

    await page.waitForURL((url) => url.pathname === deepLink);
    await expect.poll(() => page.locator('.who-name').textContent()).toBe('Cora Cognito');
    await page.goto(`${appUrl}/`);
    await page.getByRole('heading', { name: 'Your workspaces' }).waitFor();
    expect(cognito.tokenExchanges).toHaveLength(1);
    expect(cognito.tokenExchanges[0]).toMatchObject({
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: `${appUrl}/auth/callback`,
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => cognito.logouts.length).toBe(1);
    expect(cognito.revocations).toEqual([{ token: cognito.refreshTokens[0], client_id: clientId }]);
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
    await expect.poll(() => page.evaluate(() => localStorage.getItem('accord.session'))).toBeNull();
  });

  it('refuses a callback it did not start', async () => {
    const page = await openPage(browser);
    await page.goto(`${appUrl}/auth/callback?code=stolen&state=forged`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not from this browser tab');
    expect(cognito.tokenExchanges.filter((form) => form.code === 'stolen')).toEqual([]);
  });
});
