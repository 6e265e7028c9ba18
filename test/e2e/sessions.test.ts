import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useBrowserApp } from '#test/support/browser';
import { type FakeCognito, startFakeCognito } from '#test/support/fake-cognito';
import { meetingBody, meetingTeam } from '#test/support/meetings';

/**
 * A session outlasting its ID token, in Chromium, against the stand-in for
 * Cognito's endpoints: ID tokens live 8 s here (an hour on AWS), so they run
 * out in the middle of a live meeting screen that polls the API every 800 ms.
 */
const clientId = 'web-client';
const idTokenSeconds = 8;

const webConfig = { auth: { mode: 'cognito', domain: '', clientId } };
const app = useBrowserApp({ webConfig });

interface Seen {
  at: number;
  path: string;
  status: number;
  token: string | null;
}

/** A meeting open on a fresh stand-in for Cognito that signs in Sam, its sales manager. */
async function openMeeting(label: string) {
  const team = await meetingTeam(app.api, label);
  const ws = `/workspaces/${team.workspaceId}`;
  const meeting = (await team.admin.post(`${ws}/meetings`, meetingBody(team.cycleId))).body;
  expect((await team.admin.post(`${ws}/meetings/${meeting.id}/state`, { to: 'open', expectedVersion: 1 })).status).toBe(200);
  const cognito = await startFakeCognito({
    auth: app.api.auth,
    person: { email: team.sales.email, name: 'Sam Sales' },
    upstream: app.api.baseUrl,
    clientId,
    idTokenSeconds,
  });
  webConfig.auth.domain = cognito.url;
  return { team, cognito, agenda: `${ws}/meetings/${meeting.id}/agenda`, path: `/w/${team.workspaceId}/meetings/${meeting.id}` };
}

/** Every API answer the page got, with the ID token it was sent with. */
function watchApi(page: Page): Seen[] {
  const seen: Seen[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    const authorization = response.request().headers().authorization ?? null;
    seen.push({
      at: Date.now(),
      path: url.pathname,
      status: response.status(),
      token: authorization?.replace(/^Bearer /, '') ?? null,
    });
  });
  return seen;
}

async function signInThroughCognito(page: Page, cognito: FakeCognito, path: string) {
  await page.goto(`${cognito.url}${path}`);
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByRole('button', { name: 'Continue to sign-in' }).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.getByRole('heading', { name: 'FY2027 budget planning' }).waitFor();
}

const storedToken = (page: Page) =>
  page.evaluate(() => (JSON.parse(localStorage.getItem('accord.session') ?? '{}') as { token?: string }).token ?? null);
const expiryOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp * 1000;
const refreshGrants = (cognito: FakeCognito) => cognito.tokenExchanges.filter((form) => form.grant_type === 'refresh_token');

describe('a session that outlasts its ID token', () => {
  it('keeps a live meeting screen working across ID token expiry, then sign-out revokes the refresh token', async () => {
    const { team, cognito, agenda, path } = await openMeeting('Session Pumps');
    const page = await openPage(app.browser);
    try {
      const seen = watchApi(page);
      await signInThroughCognito(page, cognito, path);
      const [refreshToken] = cognito.refreshTokens;
      expect(refreshToken).toEqual(expect.any(String));
      // Kept in this tab's sessionStorage, never in localStorage.
      await expect(page.evaluate(() => sessionStorage.getItem('accord.refresh'))).resolves.toBe(refreshToken);
      await expect(page.evaluate(() => Object.values(localStorage).join(' '))).resolves.not.toContain(refreshToken);
      const first = await storedToken(page);
      if (!first) throw new Error('no ID token after sign-in');
      const firstExpiry = expiryOf(first);

      // The first ID token runs out mid-meeting; a colleague then changes the agenda.
      await expect.poll(() => Date.now(), { timeout: 15_000, interval: 200 }).toBeGreaterThan(firstExpiry + 500);
      expect((await team.admin.post(agenda, { title: 'Renewed while we talked', durationMinutes: 10 })).status).toBe(201);
      await expect
        .poll(() => page.getByTestId('agenda-entry').locator('.entry-title').allTextContents(), { timeout: 5000 })
        .toContain('Renewed while we talked');

      expect(new URL(page.url()).pathname).toBe(path);
      expect(refreshGrants(cognito).length).toBeGreaterThanOrEqual(1);
      expect(refreshGrants(cognito)[0]).toEqual({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: refreshToken,
      });
      const afterExpiry = seen.filter((answer) => answer.at > firstExpiry + 500 && answer.status === 200);
      expect(afterExpiry.length).toBeGreaterThan(0);
      expect(afterExpiry.every((answer) => answer.token !== first)).toBe(true);
      const renewed = await storedToken(page);
      expect(renewed).not.toBe(first);
      expect(expiryOf(renewed ?? first)).toBeGreaterThan(firstExpiry);

      // Sign-out revokes the refresh token before leaving through Cognito's logout.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => cognito.logouts.length).toBe(1);
      expect(cognito.revocations).toEqual([{ token: refreshToken, client_id: clientId }]);
      await page.waitForURL(/\/sign-in$/);
      await expect(page.evaluate(() => sessionStorage.getItem('accord.refresh'))).resolves.toBeNull();
      await expect(cognito.refreshWith(refreshToken ?? '')).resolves.toEqual({ status: 400, body: { error: 'invalid_grant' } });
    } finally {
      await page.context().close();
      await cognito.close();
    }
  });

  it('renews on the first 401 and sends the request once more when the browser’s clock runs behind', async () => {
    const { cognito, path } = await openMeeting('Skewed Pumps');
    const page = await openPage(app.browser);
    try {
      // A minute behind, the app would renew 54 s after the server stopped taking the token: the 401 must do it.
      await page.context().clock.install({ time: Date.now() - 60_000 });
      const seen = watchApi(page);
      await signInThroughCognito(page, cognito, path);
      const first = await storedToken(page);
      if (!first) throw new Error('no ID token after sign-in');

      await expect.poll(() => refreshGrants(cognito).length, { timeout: 15_000, interval: 200 }).toBeGreaterThanOrEqual(1);
      const refused = seen.find((answer) => answer.status === 401);
      expect(refused?.token).toBe(first);
      await expect
        .poll(() => seen.some((answer) => answer.status === 200 && answer.token !== first && answer.at >= (refused?.at ?? 0)))
        .toBe(true);
      // The poll that met the 401 was sent once more with the renewed token, and the screen stayed.
      const retried = seen.find(
        (answer) => answer.at >= (refused?.at ?? 0) && answer.status === 200 && answer.path === refused?.path,
      );
      expect(retried?.token).not.toBe(first);
      expect(new URL(page.url()).pathname).toBe(path);
      await page.getByRole('heading', { name: 'FY2027 budget planning' }).waitFor();
    } finally {
      await page.context().close();
      await cognito.close();
    }
  });

  it('keeps a second tab going on the tokens the first renews, and signs it out with the first', async () => {
    const { cognito, path } = await openMeeting('Two Tab Pumps');
    const page = await openPage(app.browser);
    try {
      await signInThroughCognito(page, cognito, path);
      const first = await storedToken(page);
      if (!first) throw new Error('no ID token after sign-in');
      // Same browser, another tab: the ID token is shared, the refresh token is not.
      const second = await page.context().newPage();
      const seen = watchApi(second);
      await second.goto(`${cognito.url}${path}`);
      await second.getByRole('heading', { name: 'FY2027 budget planning' }).waitFor();
      await expect(second.evaluate(() => sessionStorage.getItem('accord.refresh'))).resolves.toBeNull();

      const late = () => seen.filter((answer) => answer.at > expiryOf(first) + 500);
      await expect.poll(() => late().length, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(2);
      expect(new URL(second.url()).pathname).toBe(path);
      expect(late().every((answer) => answer.status === 200 && answer.token !== first)).toBe(true);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await second.waitForURL((url) => url.pathname === '/sign-in', { timeout: 5000 });
      expect(cognito.revocations).toEqual([{ token: cognito.refreshTokens[0], client_id: clientId }]);
    } finally {
      await page.context().close();
      await cognito.close();
    }
  });

  it('sends the person to sign in, keeping their place, when Cognito refuses the renewal', async () => {
    const { cognito, path } = await openMeeting('Revoked Pumps');
    const page = await openPage(app.browser);
    try {
      await signInThroughCognito(page, cognito, path);
      const [refreshToken] = cognito.refreshTokens;
      // Revoked elsewhere (an admin, another device's sign-out): the next renewal is refused.
      await fetch(`${cognito.url}/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken ?? '', client_id: clientId }),
      });
      await page.waitForURL((url) => url.pathname === '/sign-in', { timeout: 15_000 });
      expect(new URL(page.url()).searchParams.get('next')).toBe(path);
      await page.getByText('Your session ended. Sign in again.').waitFor();
      expect(refreshGrants(cognito).at(-1)).toMatchObject({ refresh_token: refreshToken });
      await expect(page.evaluate(() => sessionStorage.getItem('accord.refresh'))).resolves.toBeNull();
    } finally {
      await page.context().close();
      await cognito.close();
    }
  });
});
