import { cognitoSettings, type SignedIn } from './cognito';
import { loadConfig } from './config';
import { type Renewal, TokenKeeper } from './tokens';

/**
 * The signed-in person and their ID token, kept in localStorage so a reload,
 * a deep link or a second tab keeps the session. On AWS the token comes from
 * Cognito and is renewed with the refresh token this tab keeps (tokens.ts);
 * locally it comes from the local sign-in. Either way it is an ID token with
 * the same claims. How it all fits: docs/sessions.md.
 */
interface StoredSession {
  token: string;
  email: string;
  name: string;
  expiresAt: string;
}

const storageKey = 'accord.session';

function parse(raw: string | null): StoredSession | null {
  try {
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.token !== 'string' || typeof parsed.email !== 'string' || typeof parsed.expiresAt !== 'string') return null;
    return { token: parsed.token, email: parsed.email, name: parsed.name ?? parsed.email, expiresAt: parsed.expiresAt };
  } catch {
    return null;
  }
}

const hasExpired = (value: StoredSession) => Date.parse(value.expiresAt) <= Date.now();

async function cognito() {
  const config = await loadConfig();
  return config.auth.mode === 'cognito' ? cognitoSettings(config.auth, location.origin) : null;
}

class Session {
  readonly #tokens = new TokenKeeper({
    settings: cognito,
    renewed: (signedIn) => this.#store(signedIn),
    refused: () => this.expire(),
  });
  current = $state<StoredSession | null>(null);
  /** Set when the server refused the token, so the sign-in screen can say why. */
  expired = $state(false);

  constructor() {
    const stored = parse(localStorage.getItem(storageKey));
    // An ID token that ran out while the tab slept or reloaded is renewed at once, if this tab can.
    if (stored && (!hasExpired(stored) || this.#tokens.held)) {
      this.current = stored;
      this.#tokens.schedule(stored.expiresAt);
    }
    // Other tabs: adopt the token one of them renewed for the same person, and sign out when one signs out.
    addEventListener('storage', (event) => {
      if (event.storageArea !== localStorage || (event.key !== storageKey && event.key !== null)) return;
      const next = parse(event.newValue);
      if (!next) {
        if (this.current) void this.signOut();
      } else if (this.current?.email === next.email && Date.parse(next.expiresAt) > Date.parse(this.current.expiresAt)) {
        this.current = next;
      }
    });
  }

  get token(): string | null {
    return this.current?.token ?? null;
  }

  get signedIn(): boolean {
    return this.current !== null;
  }

  /** Starts a session; `refreshToken` only from a Cognito sign-in, which can then be renewed. */
  start(value: StoredSession, refreshToken: string | null = null): void {
    this.expired = false;
    if (refreshToken) this.#tokens.keep(refreshToken);
    else this.#tokens.forget();
    this.#store(value);
  }

  #store(value: SignedIn | StoredSession): void {
    const kept: StoredSession = { token: value.token, email: value.email, name: value.name, expiresAt: value.expiresAt };
    this.current = kept;
    localStorage.setItem(storageKey, JSON.stringify(kept));
    this.#tokens.schedule(kept.expiresAt);
  }

  /** The token for the next request, renewed first if it has already run out and this tab can renew it. */
  async freshToken(): Promise<string | null> {
    if (this.current && hasExpired(this.current) && this.#tokens.held) await this.#tokens.renew();
    return this.token;
  }

  /** Renews the ID token now (a request met 401); concurrent calls share one renewal. */
  renew(): Promise<Renewal> {
    return this.#tokens.renew();
  }

  /** Ends the session here and revokes its refresh token at Cognito, so it cannot be used again. */
  async signOut(): Promise<void> {
    await this.#tokens.revoke();
    this.end();
  }

  end(): void {
    this.#tokens.forget();
    this.current = null;
    localStorage.removeItem(storageKey);
  }

  expire(): void {
    if (this.current) this.expired = true;
    this.end();
  }
}

export const session = new Session();
