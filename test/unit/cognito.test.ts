import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  beginSignIn,
  codeChallengeOf,
  cognitoSettings,
  completeSignIn,
  createCodeVerifier,
  logoutUrl,
  readIdToken,
  tokenRequest,
} from '#web/lib/cognito.ts';

const settings = cognitoSettings(
  { domain: 'https://accord-test.auth.eu-west-1.amazoncognito.com/', clientId: 'client123' },
  'https://d111.cloudfront.net',
);

/** An unsigned token with the given claims: enough for the app, which only reads them. */
const idToken = (claims: Record<string, unknown>) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'signature'].join('.');

/** sessionStorage stand-in. */
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

describe('PKCE helpers', () => {
  it('make 43-character verifiers of the unreserved alphabet, different each time', () => {
    const verifier = createCodeVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createCodeVerifier()).not.toBe(verifier);
  });

  it('derive the S256 challenge of RFC 7636’s example', async () => {
    await expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('default the redirect to this origin’s callback and trim the domain', () => {
    expect(settings).toEqual({
      domain: 'https://accord-test.auth.eu-west-1.amazoncognito.com',
      clientId: 'client123',
      redirectUri: 'https://d111.cloudfront.net/auth/callback',
    });
  });

  it('send the company identity provider only when a sign-in names one, with the same PKCE parameters', () => {
    const direct = new URL(authorizeUrl({ ...settings, identityProvider: 'Entra' }, { state: 's2', codeChallenge: 'c2' }));
    expect(Object.fromEntries(direct.searchParams)).toMatchObject({
      identity_provider: 'Entra',
      response_type: 'code',
      code_challenge: 'c2',
      code_challenge_method: 'S256',
      state: 's2',
    });
    const managed = new URL(authorizeUrl(settings, { state: 's3', codeChallenge: 'c3' }));
    expect(managed.searchParams.has('identity_provider')).toBe(false);
  });

  it('build the authorize URL with code, S256 challenge, state and OpenID scopes', () => {
    const url = new URL(authorizeUrl(settings, { state: 'state1', codeChallenge: 'challenge1' }));
    expect(url.origin + url.pathname).toBe('https://accord-test.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d111.cloudfront.net/auth/callback',
      scope: 'openid email profile',
      state: 'state1',
      code_challenge: 'challenge1',
      code_challenge_method: 'S256',
    });
  });

  it('build the token request as a form POST with the verifier and no secret', () => {
    const request = tokenRequest(settings, { code: 'code1', codeVerifier: 'verifier1' });
    expect(request.url).toBe('https://accord-test.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(request.init.method).toBe('POST');
    expect(request.init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(request.init.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'code1',
      redirect_uri: 'https://d111.cloudfront.net/auth/callback',
      code_verifier: 'verifier1',
    });
  });

  it('build the logout URL back to the app', () => {
    const url = new URL(logoutUrl(settings, 'https://d111.cloudfront.net/sign-in'));
    expect(url.pathname).toBe('/logout');
    expect(url.searchParams.get('logout_uri')).toBe('https://d111.cloudfront.net/sign-in');
    expect(url.searchParams.get('client_id')).toBe('client123');
  });

  it('read email, name and expiry from an ID token, including non-ASCII names', () => {
    expect(readIdToken(idToken({ email: 'Ingrid@Halden.example', name: 'Ingrid Ødegård', exp: 1_800_000_000 }))).toMatchObject({
      email: 'ingrid@halden.example',
      name: 'Ingrid Ødegård',
      expiresAt: '2027-01-15T08:00:00.000Z',
    });
    expect(() => readIdToken('nonsense')).toThrow();
  });
});

describe('sign-in round trip', () => {
  it('sends the challenge of the kept verifier, then trades the code with that verifier', async () => {
    const storage = memoryStorage();
    let left = '';
    await beginSignIn(settings, '/w/abc/members', {
      storage,
      location: {
        assign: (url: string | URL) => {
          left = String(url);
        },
      },
    });
    const authorize = new URL(left);
    const state = authorize.searchParams.get('state') ?? '';

    const requests: Array<{ url: string; body: URLSearchParams }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      requests.push({ url, body: new URLSearchParams(String(init.body)) });
      return new Response(JSON.stringify({ id_token: idToken({ email: 'sam@example.com', exp: 1_800_000_000 }) }));
    }) as typeof fetch;
    const signedIn = await completeSignIn(settings, `?code=code9&state=${state}`, { storage, fetch: fakeFetch });

    expect(signedIn).toMatchObject({ email: 'sam@example.com', name: 'sam@example.com', next: '/w/abc/members' });
    const [exchange] = requests;
    expect(exchange?.body.get('code')).toBe('code9');
    await expect(codeChallengeOf(exchange?.body.get('code_verifier') ?? '')).resolves.toBe(
      authorize.searchParams.get('code_challenge'),
    );
    expect(storage.length).toBe(0);
  });

  it('hands back the refresh token of the code exchange, for renewing the ID token later', async () => {
    const storage = memoryStorage();
    let left = '';
    const location = {
      assign: (url: string | URL) => {
        left = String(url);
      },
    };
    await beginSignIn(settings, '/', { storage, location });
    const state = new URL(left).searchParams.get('state') ?? '';
    const fakeFetch = (async () =>
      new Response(
        JSON.stringify({ id_token: idToken({ email: 'sam@example.com', exp: 1_800_000_000 }), refresh_token: 'rt-opaque' }),
      )) as typeof fetch;
    await expect(completeSignIn(settings, `?code=c&state=${state}`, { storage, fetch: fakeFetch })).resolves.toMatchObject({
      refreshToken: 'rt-opaque',
    });
  });

  it('refuses a callback whose state this tab did not send, without calling the token endpoint', async () => {
    const storage = memoryStorage();
    await beginSignIn(settings, '/', { storage, location: { assign: () => {} } });
    let called = false;
    const fakeFetch = (async () => {
      called = true;
      return new Response('{}');
    }) as typeof fetch;
    await expect(completeSignIn(settings, '?code=code9&state=forged', { storage, fetch: fakeFetch })).rejects.toThrow(
      /not from this/,
    );
    expect(called).toBe(false);
  });

  it('reports an error Cognito sends back', async () => {
    const storage = memoryStorage();
    await expect(
      completeSignIn(settings, '?error=access_denied&error_description=User+is+disabled', { storage, fetch: globalThis.fetch }),
    ).rejects.toThrow('User is disabled');
  });
});
