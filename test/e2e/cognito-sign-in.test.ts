import { createHash, randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth, type LocalAuth } from '../../scripts/local/local-auth';
import { createLocalServer } from '../../scripts/local/server';
import { uniqueEmail } from '../support/api';
import { launchBrowser, openPage } from '../support/browser';

/**
 * The deployed sign-in path in a real browser: the same build, told by
 * `config.json` to use Cognito, against a stand-in for Cognito's OAuth
 * endpoints that checks PKCE as Cognito does and hands out ID tokens the local
 * API accepts. The stand-in shares the app's origin (a small front server
 * routes `/oauth2/*` and `/logout` to it), because the local server's CSP
 * allows connections to its own origin only; on AWS the CSP names the Cognito
 * domain instead.
 */
interface FakeCognito {
  url: string;
  tokenExchanges: Array<Record<string, string>>;
  logouts: string[];
  close(): Promise<void>;
}

const clientId = 'web-client';
const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

async function startFakeCognito(auth: LocalAuth, person: { email: string; name: string }, app: Server): Promise<FakeCognito> {
  const appUrl = await listen(app);
  const issued = new Map<string, { challenge: string; redirectUri: string }>();
  const tokenExchanges: Array<Record<string, string>> = [];
  const logouts: string[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://cognito.test');
    if (url.pathname === '/oauth2/authorize') {
      const params = Object.fromEntries(url.searchParams);
      const ok = params.response_type === 'code' && params.client_id === clientId && params.code_challenge_method === 'S256';
      if (!ok || !params.code_challenge || !params.redirect_uri) return res.writeHead(400).end('bad authorize request');
      // Cognito would show its sign-in page here; the person signs in and is sent back with a code.
      const code = randomUUID();
      issued.set(code, { challenge: params.code_challenge, redirectUri: params.redirect_uri });
      const back = new URL(params.redirect_uri);
      back.search = new URLSearchParams({ code, state: params.state ?? '' }).toString();
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/oauth2/token') {
      const cors = { 'access-control-allow-origin': '*' };
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = Object.fromEntries(new URLSearchParams(body));
      tokenExchanges.push(form);
      const grant = issued.get(form.code ?? '');
      issued.delete(form.code ?? '');
      const challenge = createHash('sha256')
        .update(form.code_verifier ?? '')
        .digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.redirect_uri || form.client_id !== clientId) {
        return res.writeHead(400, { ...cors, 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      }
      const { token } = await auth.signIn(person);
      return res
        .writeHead(200, { ...cors, 'content-type': 'application/json' })
        .end(JSON.stringify({ id_token: token, access_token: 'unused', token_type: 'Bearer', expires_in: 3600 }));
    }
    if (url.pathname === '/logout') {
      logouts.push(url.search);
      return res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' }).end();
    }
    // Everything else is the app and its API.
    const upstream = request(`${appUrl}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  return {
    url: await listen(server),
    tokenExchanges,
    logouts,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

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
  cognito = await startFakeCognito(auth, person, app);
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
    await page.waitForURL(/\/sign-in$/);
    expect(cognito.logouts).toHaveLength(1);
    await page.goto(`${appUrl}/`);
    await page.waitForURL(/\/sign-in/);
  });

  it('refuses a callback it did not start', async () => {
    const page = await openPage(browser);
    await page.goto(`${appUrl}/auth/callback?code=stolen&state=forged`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not from this browser tab');
    expect(cognito.tokenExchanges.filter((form) => form.code === 'stolen')).toEqual([]);
  });
});
