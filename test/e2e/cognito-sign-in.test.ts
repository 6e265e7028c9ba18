import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth, type LocalAuth } from '#scripts/local/local-auth';
import { createLocalServer } from '#scripts/local/server';
import { uniqueEmail } from '#test/support/api';
import { launchBrowser, openPage } from '#test/support/browser';
import { type FakeCognito, startFakeCognito } from '#test/support/fake-cognito';

/**
 * The deployed sign-in path in a real browser: the same build, told by
 * `config.json` to use Cognito, against a stand-in for Cognito's OAuth
 * endpoints (test/support/fake-cognito.ts) that checks PKCE as Cognito does
 * and hands out ID tokens the local API accepts.
 */
const clientId = 'web-client';
/** The company provider federated into the stand-in's user pool, as `-c idpName=Entra -c idpLabel=Microsoft` would configure it. */
const companyProvider = { name: 'Entra', label: 'Microsoft' };
const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/**
 * An ID token as Cognito issues it to a person who signed in through a
 * federated provider: a user pool `sub` of their own, a username and an
 * `identities` claim naming the provider, and `email_verified` as the
 * provider asserted it through the attribute mapping.
 */
async function federatedIdToken(auth: LocalAuth, person: { email: string; name: string; idpUserId: string }) {
  const now = Math.floor(Date.now() / 1000);
  return auth.signClaims({
    sub: randomUUID(),
    'cognito:username': `${companyProvider.name}_${person.idpUserId}`,
    identities: [
      {
        userId: person.idpUserId,
        providerName: companyProvider.name,
        providerType: 'OIDC',
        issuer: null,
        primary: 'true',
        dateCreated: String(Date.now()),
      },
    ],
    email: person.email,
    email_verified: true,
    name: person.name,
    token_use: 'id',
    auth_time: now,
    iss: auth.issuer,
    aud: auth.audience,
    iat: now,
    exp: now + 3600,
  });
}

let browser: Browser;
let app: Server;
let cognito: FakeCognito;
let appUrl: string;
let auth: LocalAuth;
let webConfig: { auth: { mode: string; domain: string; clientId: string; identityProvider?: typeof companyProvider } };
const person = { email: uniqueEmail('cora'), name: 'Cora Cognito' };
const federatedPerson = { email: uniqueEmail('fenna'), name: 'Fenna Federated', idpUserId: randomUUID() };

beforeAll(async () => {
  auth = await createLocalAuth();
  // The front server's URL is only known once it listens, and config.json is read per request.
  webConfig = { auth: { mode: 'cognito', domain: '', clientId } };
  app = createLocalServer({ auth, webRoot: resolve(import.meta.dirname, '../../web/dist'), webConfig });
  cognito = await startFakeCognito({
    auth,
    person,
    upstream: await listen(app),
    clientId,
    federation: { providerName: companyProvider.name, idToken: () => federatedIdToken(auth, federatedPerson) },
  });
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

describe('company sign-in through a federated identity provider', () => {
  const apiAs = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${appUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('shows no company button when config.json names no provider', async () => {
    expect(webConfig.auth.identityProvider).toBeUndefined();
    const page = await openPage(browser);
    await page.goto(`${appUrl}/sign-in`);
    await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
    await expect(page.getByRole('button', { name: /^Sign in with/ }).count()).resolves.toBe(0);
    await expect(page.getByText('Sign in with your company account').count()).resolves.toBe(0);
  });

  it('sends identity_provider with PKCE, and lets an invited federated person into their workspace', async () => {
    const { token: adminToken } = await auth.signIn({ email: uniqueEmail('fed-admin'), name: 'Fed Admin' });
    const workspaceName = `Federated ${randomUUID().slice(0, 8)}`;
    const created = await apiAs(adminToken, 'POST', '/workspaces', { name: workspaceName });
    expect(created.status).toBe(201);
    const invited = await apiAs(adminToken, 'POST', `/workspaces/${created.body.id}/members`, {
      email: federatedPerson.email,
      function: 'sales',
      role: 'rep',
    });
    expect(invited.status).toBe(201);

    webConfig.auth.identityProvider = companyProvider;
    try {
      const page = await openPage(browser);
      await page.goto(`${appUrl}/`);
      await page.waitForURL(/\/sign-in/);
      const companyButton = page.getByRole('button', { name: 'Sign in with Microsoft' });
      await companyButton.waitFor();
      // Password accounts (the first admin, say) still sign in through the managed login.
      await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
      const before = cognito.authorizations.length;
      await companyButton.click();

      await page.getByRole('heading', { name: 'Your workspaces' }).waitFor();
      const authorize = cognito.authorizations.slice(before);
      expect(authorize).toHaveLength(1);
      expect(authorize[0]).toMatchObject({
        identity_provider: 'Entra',
        response_type: 'code',
        client_id: clientId,
        code_challenge_method: 'S256',
        redirect_uri: `${appUrl}/auth/callback`,
      });
      expect(authorize[0]?.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The invitation by email became theirs on first use: the workspace is listed and opens.
      await expect.poll(() => page.locator('.who-name').textContent()).toBe('Fenna Federated');
      await page.getByRole('link', { name: workspaceName }).click();
      await page.waitForURL((url) => url.pathname === `/w/${created.body.id}`);
      await page.getByRole('heading', { level: 1, name: workspaceName }).waitFor();

      // Bound to that federated identity: the same email under another identity is not the member.
      const otherIdentity = await federatedIdToken(auth, { ...federatedPerson, idpUserId: randomUUID() });
      expect((await apiAs(otherIdentity, 'GET', `/workspaces/${created.body.id}`)).status).toBe(404);
    } finally {
      delete webConfig.auth.identityProvider;
    }
  });
});
