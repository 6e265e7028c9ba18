/**
 * The signed-in person and their token, kept in localStorage so a reload or a
 * deep link keeps the session. On AWS the token comes from Cognito; locally
 * from the local sign-in. Either way it is an ID token with the same claims.
 */
interface StoredSession {
  token: string;
  email: string;
  name: string;
  expiresAt: string;
}

const storageKey = 'accord.session';

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.token !== 'string' || typeof parsed.email !== 'string' || typeof parsed.expiresAt !== 'string') return null;
    if (Date.parse(parsed.expiresAt) <= Date.now()) return null;
    return { token: parsed.token, email: parsed.email, name: parsed.name ?? parsed.email, expiresAt: parsed.expiresAt };
  } catch {
    return null;
  }
}

class Session {
  current = $state<StoredSession | null>(readStored());
  /** Set when the server refused the token, so the sign-in screen can say why. */
  expired = $state(false);

  get token(): string | null {
    return this.current?.token ?? null;
  }

  get signedIn(): boolean {
    return this.current !== null;
  }

  start(value: StoredSession): void {
    this.current = value;
    this.expired = false;
    localStorage.setItem(storageKey, JSON.stringify(value));
  }

  end(): void {
    this.current = null;
    localStorage.removeItem(storageKey);
  }

  expire(): void {
    if (this.current) this.expired = true;
    this.end();
  }
}

export const session = new Session();
