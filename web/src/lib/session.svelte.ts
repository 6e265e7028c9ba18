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
/** Written on sign-out so the browser's other tabs sign out too; a session merely ending in one tab does not. */
const signedOutKey = 'accord.signed-out';

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
    // Other tabs: sign out when one signs out, and adopt a token one of them renewed for the same person.
    addEventListener('storage', (event) => {
      if (event.storageArea !== localStorage) return;
      if (event.key === signedOutKey && this.current) {
        void this.#tokens.revoke();
        this.#leave();
      } else if (event.key === storageKey) {
        this.#adopt(parse(event.newValue));
      }
    });
  }

  /** Takes a token another tab renewed, if it is for the person this tab shows and lasts longer. */
  #adopt(next: StoredSession | null): boolean {
    if (!next || !this.current || next.email !== this.current.email) return false;
    if (Date.parse(next.expiresAt) <= Date.parse(this.current.expiresAt)) return false;
    this.current = next;
    return true;
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

  /**
   * Renews the ID token now (a request met 401); concurrent calls share one renewal. A tab without a
   * refresh token of its own (opened from another) can only take what another tab renewed.
   */
  async renew(): Promise<Renewal> {
    if (this.#tokens.held) return this.#tokens.renew();
    return this.#adopt(parse(localStorage.getItem(storageKey))) ? 'renewed' : 'refused';
  }

  /** Ends the session here and revokes its refresh token at Cognito, so it cannot be used again. */
  async signOut(): Promise<void> {
    await this.#tokens.revoke();
    this.end();
  }

  /** Signs out in this browser: this tab, and every other tab through the `storage` event. */
  end(): void {
    this.#leave();
    localStorage.removeItem(storageKey);
    localStorage.setItem(signedOutKey, new Date().toISOString());
  }

  /**
   * The server refused this tab's token and it cannot be renewed: this tab signs in again. Other tabs
   * keep going, and keep the stored session if one of them has renewed it meanwhile.
   */
  expire(): void {
    const refused = this.current?.token;
    if (this.current) this.expired = true;
    this.#leave();
    if (parse(localStorage.getItem(storageKey))?.token === refused) localStorage.removeItem(storageKey);
  }

  #leave(): void {
    this.#tokens.forget();
    this.current = null;
  }
}

export const session = new Session();
