/**
 * Sign-in through the Cognito managed login with the authorization code flow
 * and PKCE (RFC 7636): the app never sees a password or a client secret, and a
 * stolen authorization code is useless without the verifier kept in this tab.
 * The pure helpers build requests; `beginSignIn` and `completeSignIn` are the
 * browser glue around them, and `renewIdToken` and `revokeRefreshToken` keep a
 * session going and end it (see docs/sessions.md).
 */

/** The user pool client as `config.json` describes it. */
export interface CognitoSettings {
  /** Origin of the managed login, e.g. `https://accord-prod-123.auth.eu-west-1.amazoncognito.com`. */
  domain: string;
  clientId: string;
  /** Where Cognito sends the browser back with the code: the app's `/auth/callback`. */
  redirectUri: string;
  /**
   * A federated identity provider to go to straight from the app (Cognito's
   * `identity_provider` parameter), skipping the managed login page.
   */
  identityProvider?: string;
}

/** What a completed sign-in yields: the ID token and who it names. */
export interface SignedIn {
  token: string;
  email: string;
  name: string;
  expiresAt: string;
}

export const callbackPath = '/auth/callback';
const scopes = 'openid email profile';
const pendingKey = 'accord.pkce';

/** Settings from `config.json`'s Cognito section, defaulting the redirect to this origin's callback. */
export function cognitoSettings(
  auth: { domain: string; clientId: string; redirectUri?: string },
  origin: string,
): CognitoSettings {
  return {
    domain: auth.domain.replace(/\/+$/, ''),
    clientId: auth.clientId,
    redirectUri: auth.redirectUri ?? `${origin}${callbackPath}`,
  };
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random URL-safe string from `byteLength` random bytes (32 bytes → 43 characters). */
export function randomUrlSafe(byteLength = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** A PKCE code verifier: 43 characters of the unreserved alphabet, from 256 random bits. */
export const createCodeVerifier = (): string => randomUrlSafe(32);

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The managed login URL that starts a sign-in. */
export function authorizeUrl(settings: CognitoSettings, request: { state: string; codeChallenge: string }): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: scopes,
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  if (settings.identityProvider) params.set('identity_provider', settings.identityProvider);
  return `${settings.domain}/oauth2/authorize?${params}`;
}

const form = (fields: Record<string, string>) =>
  ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  }) satisfies RequestInit;

/** The token endpoint request that trades the code and verifier for tokens (public client: no secret). */
export function tokenRequest(settings: CognitoSettings, exchange: { code: string; codeVerifier: string }) {
  return {
    url: `${settings.domain}/oauth2/token`,
    init: form({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code: exchange.code,
      redirect_uri: settings.redirectUri,
      code_verifier: exchange.codeVerifier,
    }),
  };
}

/** The token endpoint request that trades the refresh token for a new ID token. */
export function refreshRequest(settings: CognitoSettings, refreshToken: string) {
  return {
    url: `${settings.domain}/oauth2/token`,
    init: form({ grant_type: 'refresh_token', client_id: settings.clientId, refresh_token: refreshToken }),
  };
}

/** The revocation request (RFC 7009) that makes a refresh token, and the tokens it issued, unusable at Cognito. */
export function revokeRequest(settings: CognitoSettings, refreshToken: string) {
  return { url: `${settings.domain}/oauth2/revoke`, init: form({ token: refreshToken, client_id: settings.clientId }) };
}

/**
 * What a renewal came to: a new ID token (and a new refresh token when the
 * pool rotates them); `refused` when Cognito will not renew this refresh token
 * (expired, revoked, the person disabled), so only signing in again helps;
 * `unavailable` when Cognito could not be asked, so trying later may.
 */
export type RenewalResult =
  | { outcome: 'renewed'; signedIn: SignedIn; refreshToken: string | null }
  | { outcome: 'refused' }
  | { outcome: 'unavailable' };

/** Asks the token endpoint for a new ID token with the refresh token. */
export async function renewIdToken(
  settings: CognitoSettings,
  refreshToken: string,
  fetcher: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<RenewalResult> {
  const request = refreshRequest(settings, refreshToken);
  let response: Response;
  try {
    response = await fetcher(request.url, request.init);
  } catch {
    return { outcome: 'unavailable' };
  }
  // 4xx is Cognito's answer about this token (invalid_grant and kin); 429 and 5xx say nothing about it.
  if (response.status >= 400 && response.status < 500 && response.status !== 429) return { outcome: 'refused' };
  if (!response.ok) return { outcome: 'unavailable' };
  const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; refresh_token?: unknown };
  if (typeof body.id_token !== 'string') return { outcome: 'unavailable' };
  let signedIn: SignedIn;
  try {
    signedIn = readIdToken(body.id_token);
  } catch {
    return { outcome: 'refused' };
  }
  return { outcome: 'renewed', signedIn, refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null };
}

/**
 * Revokes a refresh token. Best effort: the person is leaving either way, and
 * a token that could not be revoked still runs out at its lifetime.
 */
export async function revokeRefreshToken(
  settings: CognitoSettings,
  refreshToken: string,
  fetcher: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<boolean> {
  const request = revokeRequest(settings, refreshToken);
  try {
    // keepalive: the logout navigation that follows must not cancel it.
    return (await fetcher(request.url, { ...request.init, keepalive: true })).ok;
  } catch {
    return false;
  }
}

/** The managed login URL that ends the Cognito session and returns to `logoutUri`. */
export function logoutUrl(settings: CognitoSettings, logoutUri: string): string {
  return `${settings.domain}/logout?${new URLSearchParams({ client_id: settings.clientId, logout_uri: logoutUri })}`;
}

/**
 * Reads who an ID token names. The token came straight from the token endpoint
 * over TLS and the API verifies its signature on every call, so the app only
 * decodes it here.
 */
export function readIdToken(token: string): SignedIn {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('Malformed ID token');
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof claims !== 'object' || claims === null) throw new Error('Malformed ID token');
  const { email, name, exp } = claims as Record<string, unknown>;
  if (typeof email !== 'string' || typeof exp !== 'number') throw new Error('The ID token lacks email or expiry');
  return {
    token,
    email: email.toLowerCase(),
    name: typeof name === 'string' && name ? name : email,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}

interface Pending {
  state: string;
  verifier: string;
  next: string;
}

/** Starts a sign-in: keeps the verifier and state in this tab, then leaves for the managed login. */
export async function beginSignIn(
  settings: CognitoSettings,
  next: string,
  browser: { storage: Storage; location: Pick<Location, 'assign'> } = { storage: sessionStorage, location },
) {
  const pending: Pending = { state: randomUrlSafe(16), verifier: createCodeVerifier(), next };
  browser.storage.setItem(pendingKey, JSON.stringify(pending));
  browser.location.assign(
    authorizeUrl(settings, { state: pending.state, codeChallenge: await codeChallengeOf(pending.verifier) }),
  );
}

/**
 * Finishes a sign-in on the callback page: checks the state against the one
 * this tab sent, trades the code for tokens, and returns the signed-in person
 * with the in-app path to go back to.
 */
export async function completeSignIn(
  settings: CognitoSettings,
  search: string,
  browser: { storage: Storage; fetch: typeof fetch } = { storage: sessionStorage, fetch: globalThis.fetch.bind(globalThis) },
): Promise<SignedIn & { next: string; refreshToken: string | null }> {
  const params = new URLSearchParams(search);
  const raw = browser.storage.getItem(pendingKey);
  browser.storage.removeItem(pendingKey);
  const failure = params.get('error_description') ?? params.get('error');
  if (failure) throw new Error(failure);
  const pending = raw ? (JSON.parse(raw) as Partial<Pending>) : null;
  const code = params.get('code');
  if (!pending?.verifier || !pending.state || pending.state !== params.get('state') || !code) {
    throw new Error('This sign-in link is not from this browser tab. Start again.');
  }
  const request = tokenRequest(settings, { code, codeVerifier: pending.verifier });
  const response = await browser.fetch(request.url, request.init);
  const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; refresh_token?: unknown; error?: unknown };
  if (!response.ok || typeof body.id_token !== 'string') {
    throw new Error(typeof body.error === 'string' ? `Sign-in failed: ${body.error}` : 'Sign-in failed');
  }
  const next = pending.next?.startsWith('/') && !pending.next.startsWith('//') ? pending.next : '/';
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : null;
  return { ...readIdToken(body.id_token), next, refreshToken };
}
