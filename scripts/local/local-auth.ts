import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/**
 * The local stand-in for Cognito: it issues RS256 ID tokens with Cognito's
 * claim names and verifies them on every request, as API Gateway's JWT
 * authorizer does. Handlers see the same claims in the same place either way.
 */
export interface LocalAuth {
  issuer: string;
  audience: string;
  /** Issues an ID token; `lifetimeSeconds` exists so tests can mint an already expired one. */
  signIn(person: { email: string; name: string }, lifetimeSeconds?: number): Promise<{ token: string; expiresAt: string }>;
  /**
   * Signs exactly these claims with the issuer's key, adding none. Tests use
   * it to show the verifier refuses well-signed tokens Cognito would never issue.
   */
  signClaims(claims: JWTPayload): Promise<string>;
  /** Verified claims as API Gateway passes them (every value a string), or null when the token is not valid. */
  verify(token: string): Promise<Record<string, string> | null>;
}

const tokenLifetimeSeconds = 12 * 60 * 60;

/**
 * Stable subject per email, so the same person keeps the same `sub` across
 * sign-ins and restarts, and memberships bound to it stay theirs.
 */
export const subjectOf = (email: string) => {
  const hex = createHash('sha256').update(email).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/**
 * Creates the local issuer. With a `keyFile` the signing key is kept on disk
 * so tokens survive a restart; without one (tests) it lives in memory.
 */
export async function createLocalAuth(options: { keyFile?: string; issuer?: string } = {}): Promise<LocalAuth> {
  const issuer = options.issuer ?? 'https://accord.local/idp';
  const audience = 'accord-local-web';
  let privateJwk: JWK;
  if (options.keyFile && existsSync(options.keyFile)) {
    privateJwk = JSON.parse(readFileSync(options.keyFile, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: 'RS256' };
    if (options.keyFile) writeFileSync(options.keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, 'RS256');
  const publicKey = await importJWK(publicJwk, 'RS256');
  const kid = privateJwk.kid ?? 'local';

  return {
    issuer,
    audience,
    async signIn({ email, name }, lifetimeSeconds = tokenLifetimeSeconds) {
      const sub = subjectOf(email);
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        email,
        email_verified: true,
        name,
        'cognito:username': sub,
        token_use: 'id',
        auth_time: now,
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetimeSeconds)
        .sign(privateKey);
      return { token, expiresAt: new Date((now + lifetimeSeconds) * 1000).toISOString() };
    },
    signClaims: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey),
    async verify(token) {
      try {
        // What Cognito and API Gateway's JWT authorizer guarantee between
        // them: a signed ID token (not an access token) for this client, from
        // this issuer, with an expiry that has not passed, for a verified email.
        const { payload } = await jwtVerify(token, publicKey, {
          issuer,
          audience,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'sub', 'email'],
        });
        if (payload.token_use !== 'id' || payload.email_verified !== true) return null;
        return stringifyClaims(payload);
      } catch {
        return null;
      }
    },
  };
}

function stringifyClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    claims[key] = typeof value === 'string' ? value : Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  }
  return claims;
}
