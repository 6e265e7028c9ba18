import { type CognitoSettings, type RenewalResult, renewIdToken, revokeRefreshToken, type SignedIn } from './cognito';

/**
 * Keeps this tab's Cognito refresh token and renews the ID token with it
 * before the ID token runs out, so a meeting outlasts the ID token's hour.
 * The refresh token lives in sessionStorage: it survives a reload of this
 * tab, ends with the tab, and is never shared with other tabs or written to
 * disk for later (docs/sessions.md says why).
 */
export type Renewal = RenewalResult['outcome'];

export interface TokenKeeperOptions {
  /** The Cognito client to renew with; null when sign-in does not go through Cognito (local mode). */
  settings(): Promise<CognitoSettings | null>;
  /** A renewed ID token, to use from now on. */
  renewed(signedIn: SignedIn): void;
  /** Cognito refused to renew (refresh token expired or revoked): only signing in again helps. */
  refused(): void;
  storage?: Storage;
  fetch?: typeof fetch;
  now?: () => number;
}

export const refreshTokenKey = 'accord.refresh';
/** Renew at most this long before the ID token expires… */
const maxLeadMs = 5 * 60_000;
/** …and when Cognito could not be reached, ask again after this. */
const retryMs = 30_000;
/** Sign-out waits this long at most for the revocation's answer. */
const revokeWaitMs = 3000;

/**
 * How long to wait before renewing a token that expires at `expiresAt`: until
 * a fifth of its remaining life is left, but no more than five minutes before
 * it expires (an hourly token renews at 55 minutes; a token of 8 s at 6.4 s).
 */
export function renewalDelay(expiresAt: number, now: number): number {
  const remaining = expiresAt - now;
  return Math.max(0, remaining - Math.min(maxLeadMs, remaining / 5));
}

export class TokenKeeper {
  #refreshToken: string | null;
  #inFlight: Promise<Renewal> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #storage: Storage;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(private readonly options: TokenKeeperOptions) {
    this.#storage = options.storage ?? sessionStorage;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
    this.#refreshToken = this.#storage.getItem(refreshTokenKey);
  }

  /** Whether this tab holds a refresh token, so can renew. */
  get held(): boolean {
    return this.#refreshToken !== null;
  }

  /** Keeps a refresh token from a sign-in (or a rotation), replacing any earlier one. */
  keep(refreshToken: string): void {
    this.#refreshToken = refreshToken;
    this.#storage.setItem(refreshTokenKey, refreshToken);
  }

  /** Arranges the renewal of an ID token that expires at `expiresAt`, replacing any earlier arrangement. */
  schedule(expiresAt: string): void {
    clearTimeout(this.#timer);
    if (!this.held) return;
    this.#timer = setTimeout(() => void this.renew(), renewalDelay(Date.parse(expiresAt), this.#now()));
  }

  /**
   * Renews the ID token now. Calls made while a renewal is under way share it,
   * so the polls of a live screen that all meet an expired token cost one
   * request to Cognito, not one each.
   */
  renew(): Promise<Renewal> {
    this.#inFlight ??= this.#attempt().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #attempt(): Promise<Renewal> {
    const refreshToken = this.#refreshToken;
    if (!refreshToken) return 'refused';
    const settings = await this.options.settings().catch(() => undefined);
    if (settings === null) return 'refused';
    const result: RenewalResult = settings ? await renewIdToken(settings, refreshToken, this.#fetch) : { outcome: 'unavailable' };
    // Signed out, or signed in afresh, while the answer was on its way: it is not this session's any more.
    if (this.#refreshToken !== refreshToken) return 'refused';
    if (result.outcome === 'unavailable') {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.renew(), retryMs);
    } else if (result.outcome === 'refused') {
      this.forget();
      this.options.refused();
    } else {
      if (result.refreshToken) this.keep(result.refreshToken);
      this.options.renewed(result.signedIn);
      this.schedule(result.signedIn.expiresAt);
    }
    return result.outcome;
  }

  /**
   * Revokes the refresh token at Cognito, then forgets it. Forgotten first, so
   * nothing renews with it while the revocation is on its way.
   */
  async revoke(): Promise<void> {
    const refreshToken = this.#refreshToken;
    this.forget();
    if (!refreshToken) return;
    const settings = await this.options.settings().catch(() => null);
    if (!settings) return;
    // The person is leaving: wait for Cognito a moment, not indefinitely (keepalive lets the request finish anyway).
    await new Promise<void>((done) => {
      const timer = setTimeout(done, revokeWaitMs);
      void revokeRefreshToken(settings, refreshToken, this.#fetch).finally(() => {
        clearTimeout(timer);
        done();
      });
    });
  }

  /** Drops the refresh token from this tab without telling Cognito. */
  forget(): void {
    clearTimeout(this.#timer);
    this.#refreshToken = null;
    this.#storage.removeItem(refreshTokenKey);
  }
}
