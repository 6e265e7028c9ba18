import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cognitoSettings, refreshRequest, renewIdToken, revokeRequest, type SignedIn } from '#web/lib/cognito.ts';
import { refreshTokenKey, renewalDelay, TokenKeeper } from '#web/lib/tokens.ts';

const settings = cognitoSettings(
  { domain: 'https://accord-test.auth.eu-west-1.amazoncognito.com', clientId: 'client123' },
  'https://d111.cloudfront.net',
);

/** An unsigned token with the given claims: enough for the app, which only reads them. */
const idToken = (claims: Record<string, unknown>) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'signature'].join('.');

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

type Answer = () => Response | Promise<Response>;

/** A token and revocation endpoint that answers from a queue and records every form it gets. */
function cognitoEndpoint(answers: Answer[] = []) {
  const requests: Array<{ url: string; form: Record<string, string>; keepalive?: boolean }> = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    requests.push({ url, form: Object.fromEntries(new URLSearchParams(String(init.body))), keepalive: init.keepalive });
    const next = answers.shift();
    if (!next) throw new TypeError('Failed to fetch');
    return next();
  }) as typeof fetch;
  return { requests, fetcher };
}

const renewedAnswer =
  (exp: number, extra: Record<string, unknown> = {}) =>
  () =>
    Response.json({ id_token: idToken({ email: 'sam@example.com', name: 'Sam', exp }), expires_in: 3600, ...extra });

describe('the refresh and revocation requests', () => {
  it('ask the token endpoint for a refresh grant and the revocation endpoint to revoke, as a public client', () => {
    const refresh = refreshRequest(settings, 'rt1');
    expect(refresh.url).toBe('https://accord-test.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(refresh.init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(refresh.init.body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'client123',
      refresh_token: 'rt1',
    });
    const revoke = revokeRequest(settings, 'rt1');
    expect(revoke.url).toBe('https://accord-test.auth.eu-west-1.amazoncognito.com/oauth2/revoke');
    expect(Object.fromEntries(new URLSearchParams(revoke.init.body))).toEqual({ token: 'rt1', client_id: 'client123' });
  });

  it('tell a refusal (the token is done) from Cognito being out of reach (try later)', async () => {
    const outcome = async (answer: Answer) => (await renewIdToken(settings, 'rt1', cognitoEndpoint([answer]).fetcher)).outcome;
    await expect(outcome(() => Response.json({ error: 'invalid_grant' }, { status: 400 }))).resolves.toBe('refused');
    await expect(outcome(() => Response.json({ error: 'invalid_client' }, { status: 401 }))).resolves.toBe('refused');
    await expect(outcome(() => new Response('busy', { status: 429 }))).resolves.toBe('unavailable');
    await expect(outcome(() => new Response('down', { status: 503 }))).resolves.toBe('unavailable');
    await expect(outcome(() => Response.json({}))).resolves.toBe('unavailable');
    await expect((await renewIdToken(settings, 'rt1', cognitoEndpoint([]).fetcher)).outcome).toBe('unavailable');
    await expect(renewIdToken(settings, 'rt1', cognitoEndpoint([renewedAnswer(1_800_000_000)]).fetcher)).resolves.toMatchObject({
      outcome: 'renewed',
      signedIn: { email: 'sam@example.com', expiresAt: '2027-01-15T08:00:00.000Z' },
      refreshToken: null,
    });
  });
});

describe('when to renew', () => {
  it('renews an hourly token five minutes before it expires and a short one at four fifths of its life', () => {
    expect(renewalDelay(3_600_000, 0)).toBe(55 * 60_000);
    expect(renewalDelay(8000, 0)).toBe(6400);
    expect(renewalDelay(1000, 5000)).toBe(0);
  });
});

describe('TokenKeeper', () => {
  const now = Date.parse('2027-01-15T07:00:00Z');
  let storage: Storage;
  let renewed: SignedIn[];
  let refusals: number;
  beforeEach(() => {
    vi.useFakeTimers({ now });
    storage = memoryStorage();
    renewed = [];
    refusals = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const keeper = (fetcher: typeof fetch, cognito: () => Promise<typeof settings | null> = async () => settings) =>
    new TokenKeeper({
      settings: cognito,
      storage,
      fetch: fetcher,
      renewed: (signedIn) => renewed.push(signedIn),
      refused: () => {
        refusals += 1;
      },
    });

  it('keeps the refresh token in the given storage and picks it up again after a reload', () => {
    const first = keeper(cognitoEndpoint().fetcher);
    expect(first.held).toBe(false);
    first.keep('rt1');
    expect(storage.getItem(refreshTokenKey)).toBe('rt1');
    expect(keeper(cognitoEndpoint().fetcher).held).toBe(true);
  });

  it('renews on schedule before the ID token expires, then schedules the next renewal from the new token', async () => {
    const nextExp = now / 1000 + 2 * 3600;
    const endpoint = cognitoEndpoint([renewedAnswer(now / 1000 + 3600), renewedAnswer(nextExp)]);
    const tokens = keeper(endpoint.fetcher);
    tokens.keep('rt1');
    tokens.schedule(new Date(now + 3_600_000).toISOString());
    await vi.advanceTimersByTimeAsync(55 * 60_000 - 1);
    expect(endpoint.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(endpoint.requests.map((request) => request.form)).toEqual([
      { grant_type: 'refresh_token', client_id: 'client123', refresh_token: 'rt1' },
    ]);
    expect(renewed.map((signedIn) => signedIn.email)).toEqual(['sam@example.com']);
    // The renewed token (expiring at +1 h from the original issue) is renewed again 5 minutes before that.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(endpoint.requests).toHaveLength(2);
    expect(renewed.at(-1)?.expiresAt).toBe(new Date(nextExp * 1000).toISOString());
  });

  it('shares one renewal among every caller that asks while it is under way', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const endpoint = cognitoEndpoint([
      async () => {
        await gate;
        return renewedAnswer(now / 1000 + 3600)();
      },
      renewedAnswer(now / 1000 + 3600),
    ]);
    const tokens = keeper(endpoint.fetcher);
    tokens.keep('rt1');
    const racing = [tokens.renew(), tokens.renew(), tokens.renew()];
    await vi.advanceTimersByTimeAsync(0);
    release();
    await expect(Promise.all(racing)).resolves.toEqual(['renewed', 'renewed', 'renewed']);
    expect(endpoint.requests).toHaveLength(1);
    expect(renewed).toHaveLength(1);
    // Once settled, a later renewal is a new request.
    await expect(tokens.renew()).resolves.toBe('renewed');
    expect(endpoint.requests).toHaveLength(2);
  });

  it('adopts a rotated refresh token', async () => {
    const tokens = keeper(cognitoEndpoint([renewedAnswer(now / 1000 + 3600, { refresh_token: 'rt2' })]).fetcher);
    tokens.keep('rt1');
    await expect(tokens.renew()).resolves.toBe('renewed');
    expect(storage.getItem(refreshTokenKey)).toBe('rt2');
  });

  it('forgets a refused refresh token and says so once, so the person signs in again', async () => {
    const tokens = keeper(cognitoEndpoint([() => Response.json({ error: 'invalid_grant' }, { status: 400 })]).fetcher);
    tokens.keep('rt1');
    await expect(tokens.renew()).resolves.toBe('refused');
    expect(refusals).toBe(1);
    expect(tokens.held).toBe(false);
    expect(storage.getItem(refreshTokenKey)).toBeNull();
    expect(renewed).toEqual([]);
  });

  it('keeps the refresh token when Cognito is out of reach and tries again 30 s later', async () => {
    const endpoint = cognitoEndpoint([() => new Response('down', { status: 503 }), renewedAnswer(now / 1000 + 3600)]);
    const tokens = keeper(endpoint.fetcher);
    tokens.keep('rt1');
    await expect(tokens.renew()).resolves.toBe('unavailable');
    expect(tokens.held).toBe(true);
    expect(refusals).toBe(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(endpoint.requests).toHaveLength(2);
    expect(renewed).toHaveLength(1);
  });

  it('does not renew in local mode, where there is no Cognito to ask', async () => {
    const endpoint = cognitoEndpoint([renewedAnswer(now / 1000 + 3600)]);
    const tokens = keeper(endpoint.fetcher, async () => null);
    tokens.keep('rt1');
    await expect(tokens.renew()).resolves.toBe('refused');
    expect(endpoint.requests).toEqual([]);
  });

  it('revokes the refresh token at Cognito on sign-out, forgetting it first and stopping the schedule', async () => {
    const endpoint = cognitoEndpoint([() => new Response(null, { status: 200 })]);
    const tokens = keeper(endpoint.fetcher);
    tokens.keep('rt1');
    tokens.schedule(new Date(now + 10_000).toISOString());
    const revoking = tokens.revoke();
    expect(tokens.held).toBe(false);
    await revoking;
    expect(endpoint.requests).toEqual([
      { url: `${settings.domain}/oauth2/revoke`, form: { token: 'rt1', client_id: 'client123' }, keepalive: true },
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('lets sign-out go on after 3 s when Cognito does not answer the revocation', async () => {
    const endpoint = cognitoEndpoint([() => new Promise<Response>(() => {})]);
    const tokens = keeper(endpoint.fetcher);
    tokens.keep('rt1');
    let done = false;
    const revoking = tokens.revoke().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await revoking;
    expect(done).toBe(true);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('drops a renewal answer that arrives after sign-out', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const endpoint = cognitoEndpoint([
      async () => {
        await gate;
        return renewedAnswer(now / 1000 + 3600)();
      },
      () => new Response(null, { status: 200 }),
    ]);
    const tokens = keeper(endpoint.fetcher);
    tokens.keep('rt1');
    const renewing = tokens.renew();
    await vi.advanceTimersByTimeAsync(0);
    await tokens.revoke();
    release();
    await expect(renewing).resolves.toBe('refused');
    expect(renewed).toEqual([]);
    expect(tokens.held).toBe(false);
  });
});
