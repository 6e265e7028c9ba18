import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAccounts, type LocalAccounts } from '#scripts/local/local-accounts';
import { createLocalAuth, type LocalAuth } from '#scripts/local/local-auth';
import { serve } from '#scripts/local/serve';
import { startApi, type TestApi, uniqueEmail } from '#test/support/api';

/**
 * The local server as `npm start` runs it: this machine only by default,
 * real accounts when it serves others, and a 413 rather than a reset for a
 * body over the limit.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'accord-accounts-'));
const accountsFile = join(dataDir, 'local-accounts.json');
let clock = new Date();
let auth: LocalAuth;
let accounts: LocalAccounts;
let withAccounts: { server: Server; url: string };
let base: string;
let api: TestApi;

const post = async (path: string, body: unknown, token?: string) => {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
};
const get = async (path: string, token: string) => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as any };
};

beforeAll(async () => {
  auth = await createLocalAuth();
  accounts = createLocalAccounts({ file: accountsFile, now: () => clock });
  withAccounts = await serve({
    auth,
    accounts,
    port: 0,
    webConfig: { signInHints: [{ email: 'anyone@test.example' }] },
  });
  base = `http://127.0.0.1:${(withAccounts.server.address() as AddressInfo).port}`;
  api = await startApi();
});
afterAll(async () => {
  await new Promise((resolve) => withAccounts.server.close(resolve));
  await api.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('where npm start listens', () => {
  it('binds to 127.0.0.1 unless told a host, and is ready before it says so', async () => {
    const started = await serve({ auth, port: 0 });
    try {
      expect((started.server.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(started.url).toMatch(/^http:\/\/localhost:\d+\/$/);
    } finally {
      await new Promise((resolve) => started.server.close(resolve));
    }
  });

  it('refuses to serve other machines with sign-in by email alone', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
      await expect(serve({ auth, port: 0, host })).rejects.toThrow(/needs local accounts/);
    }
  });
});

describe('local accounts when serving other machines', () => {
  it('never offers "pick any email": sign-in by email alone is refused, a set password is accepted', async () => {
    const config = (await (await fetch(`${base}/config.json`)).json()) as any;
    expect(config.auth).toEqual({ mode: 'local', accounts: true });
    expect(config.signInHints).toBeUndefined();

    const email = uniqueEmail('account-owner');
    const emailOnly = await post('/local/sign-in', { email, name: 'Owner' });
    expect(emailOnly.status).toBe(400);
    expect(emailOnly.body.token).toBeUndefined();
    // No account yet: any password is wrong, with the same answer as a wrong password.
    expect(await post('/local/sign-in', { email, password: 'whatever-it-is' })).toMatchObject({ status: 401 });

    const { token: link } = accounts.issueLink(email, 'Owner');
    const set = await post('/local/set-password', { token: link, password: 'correct horse battery' });
    expect(set.status).toBe(200);
    expect((await get('/api/me', set.body.token)).body.email).toBe(email);

    expect(await post('/local/sign-in', { email, password: 'wrong horse battery' })).toMatchObject({ status: 401 });
    const signedIn = await post('/local/sign-in', { email, password: 'correct horse battery' });
    expect(signedIn.status).toBe(200);
    expect((await get('/api/me', signedIn.body.token)).status).toBe(200);

    // At rest: a salted scrypt hash, never the password or the link's token.
    const stored = readFileSync(accountsFile, 'utf8');
    expect(stored).not.toContain('correct horse battery');
    expect(stored).not.toContain(link);
    expect(JSON.parse(stored).accounts[email]).toMatchObject({ salt: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('answers an invitation with a set-password link that works once, and only until it expires', async () => {
    const adminEmail = uniqueEmail('account-admin');
    const adminToken = (
      await post('/local/set-password', { token: accounts.issueLink(adminEmail, 'Admin').token, password: 'admin password 1' })
    ).body.token;
    const workspace = await post('/api/workspaces', { name: 'Accounts Pumps' }, adminToken);
    expect(workspace.status).toBe(201);

    const invitee = uniqueEmail('account-invitee');
    const invited = await post(
      `/api/workspaces/${workspace.body.id}/members`,
      { email: invitee, function: 'sales', role: 'rep' },
      adminToken,
    );
    expect(invited.status).toBe(201);
    const link = String(invited.body.setPasswordLink);
    expect(link).toMatch(/\/set-password#[\w-]{40,}$/);
    const token = link.split('#')[1];

    // Two uses at once: exactly one sets the password.
    const [first, second] = await Promise.all([
      post('/local/set-password', { token, password: 'invitee password 1' }),
      post('/local/set-password', { token, password: 'attacker password 1' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 410]);
    const winner = first.status === 200 ? 'invitee password 1' : 'attacker password 1';
    expect(await post('/local/set-password', { token, password: 'third password 1' })).toMatchObject({ status: 410 });
    const signedIn = await post('/local/sign-in', { email: invitee, password: winner });
    expect(signedIn.status).toBe(200);
    expect((await get(`/api/workspaces/${workspace.body.id}`, signedIn.body.token)).status).toBe(200);

    const late = uniqueEmail('account-late');
    const lateInvite = await post(
      `/api/workspaces/${workspace.body.id}/members`,
      { email: late, function: 'sales', role: 'rep' },
      adminToken,
    );
    clock = new Date(clock.getTime() + 8 * 24 * 60 * 60 * 1000);
    const expired = await post('/local/set-password', {
      token: String(lateInvite.body.setPasswordLink).split('#')[1],
      password: 'late password 1',
    });
    expect(expired.status).toBe(410);
    expect(await post('/local/sign-in', { email: late, password: 'late password 1' })).toMatchObject({ status: 401 });
  });

  it('refuses a password shorter than the minimum, naming the field, and keeps the link', async () => {
    const email = uniqueEmail('account-short');
    const { token } = accounts.issueLink(email, 'Short');
    const short = await post('/local/set-password', { token, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([expect.objectContaining({ field: 'body.password' })]);
    expect((await post('/local/set-password', { token, password: 'long enough now' })).status).toBe(200);
  });
});

describe('password guessing', () => {
  it('pauses an email’s sign-in after five wrong passwords, even for the right one', async () => {
    const email = uniqueEmail('account-guessed');
    await post('/local/set-password', { token: accounts.issueLink(email, 'Guessed').token, password: 'the real password' });
    for (let guess = 0; guess < 5; guess++) {
      expect((await post('/local/sign-in', { email, password: `guess number ${guess}` })).status).toBe(401);
    }
    const paused = await post('/local/sign-in', { email, password: 'the real password' });
    expect(paused.status).toBe(429);
    expect(paused.body.token).toBeUndefined();
  });
});

describe('bodies over the limit', () => {
  it('answers 413 with a JSON error for a 7 MB body, without resetting the connection', async () => {
    const person = await api.person('big-body');
    const sevenMegabytes = JSON.stringify({ name: 'x'.repeat(7 * 1024 * 1024) });
    for (const path of ['/api/workspaces', '/api/workspaces/restore']) {
      const response = await api.raw('POST', path, {
        body: sevenMegabytes,
        headers: { authorization: `Bearer ${person.token}`, 'content-type': 'application/json' },
      });
      expect(response.status, path).toBe(413);
      expect(response.body, path).toMatchObject({ error: 'PayloadTooLarge', details: { limit: 'bodyBytes' } });
    }
    const tooLargeForm = await api.raw('POST', '/local/sign-in', {
      body: JSON.stringify({ email: 'a@test.example', name: 'x'.repeat(7 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(tooLargeForm.status).toBe(413);
    // The server keeps serving afterwards.
    expect((await person.call('getMe')).status).toBe(200);
  });
});
