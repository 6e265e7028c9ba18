import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAuth } from '#scripts/local/local-auth';

/**
 * A stand-in for Cognito's OAuth endpoints, for browser tests of the deployed
 * sign-in path: `/oauth2/authorize` (the person signs in at once), the token
 * endpoint with the authorization code grant (PKCE checked as Cognito does)
 * and the refresh token grant, `/oauth2/revoke`, and `/logout`. ID tokens come
 * from the local issuer, so the local API accepts them, with a lifetime the
 * test chooses. It shares the app's origin (everything else is passed to the
 * app), because the local server's CSP allows connections to its own origin
 * only; on AWS the CSP names the Cognito domain instead.
 */
export interface FakeCognito {
  url: string;
  /** The query of every authorize request, in order. */
  authorizations: Array<Record<string, string>>;
  /** Every token endpoint request's form, in order. */
  tokenExchanges: Array<Record<string, string>>;
  /** Every revocation request's form, in order. */
  revocations: Array<Record<string, string>>;
  logouts: string[];
  /** Refresh tokens handed out, in order. */
  refreshTokens: string[];
  /** Asks the token endpoint as the app would; for checking a refresh token from outside the browser. */
  refreshWith(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface FakeCognitoOptions {
  auth: LocalAuth;
  person: { email: string; name: string };
  /** The app's URL, to which every other request is passed. */
  upstream: string;
  clientId: string;
  /** Lifetime of the ID tokens issued. Default: one hour, as the stack sets. */
  idTokenSeconds?: number;
  /**
   * The company identity provider the client supports, and the ID token of the person who signs in through it.
   * An authorize request naming another provider is refused, as Cognito does.
   */
  federation?: { providerName: string; idToken: () => Promise<string> };
}

const json = { 'access-control-allow-origin': '*', 'content-type': 'application/json', 'cache-control': 'no-store' };

export async function startFakeCognito(options: FakeCognitoOptions): Promise<FakeCognito> {
  const { auth, person, upstream, clientId } = options;
  const idTokenSeconds = options.idTokenSeconds ?? 3600;
  const issued = new Map<string, { challenge: string; redirectUri: string; identityProvider?: string }>();
  const authorizations: Array<Record<string, string>> = [];
  /** Refresh token → whether it still renews. */
  const refreshable = new Map<string, { revoked: boolean }>();
  const tokenExchanges: Array<Record<string, string>> = [];
  const revocations: Array<Record<string, string>> = [];
  const logouts: string[] = [];
  const refreshTokens: string[] = [];

  const readForm = async (req: AsyncIterable<Buffer>) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return Object.fromEntries(new URLSearchParams(body));
  };
  const idToken = async (identityProvider?: string) => {
    const token =
      identityProvider && options.federation
        ? await options.federation.idToken()
        : (await auth.signIn(person, idTokenSeconds)).token;
    return { id_token: token, access_token: 'unused', token_type: 'Bearer', expires_in: idTokenSeconds };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://cognito.test');
    const answer = (status: number, body: unknown) => res.writeHead(status, json).end(JSON.stringify(body));
    if (url.pathname === '/oauth2/authorize') {
      const params = Object.fromEntries(url.searchParams);
      authorizations.push(params);
      // Cognito refuses a provider the client does not support.
      if (params.identity_provider !== undefined && params.identity_provider !== options.federation?.providerName) {
        return res.writeHead(400).end('Login option is not available');
      }
      const ok = params.response_type === 'code' && params.client_id === clientId && params.code_challenge_method === 'S256';
      if (!ok || !params.code_challenge || !params.redirect_uri) return res.writeHead(400).end('bad authorize request');
      // Cognito would show its sign-in page here, or with identity_provider send the browser on to that
      // provider and take its answer at /oauth2/idpresponse; either way the person comes back with a code.
      const code = randomUUID();
      issued.set(code, {
        challenge: params.code_challenge,
        redirectUri: params.redirect_uri,
        identityProvider: params.identity_provider,
      });
      const back = new URL(params.redirect_uri);
      back.search = new URLSearchParams({ code, state: params.state ?? '' }).toString();
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      const form = await readForm(req);
      tokenExchanges.push(form);
      if (form.client_id !== clientId) return answer(400, { error: 'invalid_client' });
      if (form.grant_type === 'refresh_token') {
        // Cognito refuses an unknown, expired or revoked refresh token with invalid_grant, and does not rotate it.
        const kept = refreshable.get(form.refresh_token ?? '');
        if (!kept || kept.revoked) return answer(400, { error: 'invalid_grant' });
        return answer(200, await idToken());
      }
      if (form.grant_type !== 'authorization_code') return answer(400, { error: 'unsupported_grant_type' });
      const grant = issued.get(form.code ?? '');
      issued.delete(form.code ?? '');
      const challenge = createHash('sha256')
        .update(form.code_verifier ?? '')
        .digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.redirect_uri) {
        return answer(400, { error: 'invalid_grant' });
      }
      const refreshToken = randomBytes(48).toString('base64url');
      refreshable.set(refreshToken, { revoked: false });
      refreshTokens.push(refreshToken);
      return answer(200, { ...(await idToken(grant.identityProvider)), refresh_token: refreshToken });
    }
    if (url.pathname === '/oauth2/revoke' && req.method === 'POST') {
      const form = await readForm(req);
      revocations.push(form);
      if (form.client_id !== clientId) return answer(400, { error: 'invalid_client' });
      if (!form.token) return answer(400, { error: 'invalid_request' });
      // RFC 7009: an unknown token is not an error; a known one never renews again.
      const kept = refreshable.get(form.token);
      if (kept) kept.revoked = true;
      return res.writeHead(200, json).end();
    }
    if (url.pathname === '/logout') {
      logouts.push(url.search);
      return res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' }).end();
    }
    // Everything else is the app and its API.
    const forwarded = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    authorizations,
    tokenExchanges,
    revocations,
    logouts,
    refreshTokens,
    async refreshWith(refreshToken) {
      const response = await fetch(`${base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
