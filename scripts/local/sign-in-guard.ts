import type { LocalAccounts } from './local-accounts';

/**
 * The invitation's answer, plus a one-time link for the invitee to set their
 * password, when they have none yet. Only the inviting admin sees it.
 */
export function withSetPasswordLink(accounts: LocalAccounts, body: string, host: string | undefined): string {
  const invited = JSON.parse(body) as { email: string; name: string };
  if (accounts.has(invited.email)) return JSON.stringify({ ...invited, setPasswordLink: null });
  const { token, expiresAt } = accounts.issueLink(invited.email, invited.name);
  const setPasswordLink = `http://${host ?? 'localhost'}/set-password#${token}`;
  return JSON.stringify({ ...invited, setPasswordLink, setPasswordLinkExpiresAt: expiresAt });
}

/** Wrong passwords allowed per email before sign-in pauses, and for how long it pauses. */
const maxWrongPasswords = 5;
const pauseMs = 15 * 60 * 1000;

/**
 * Slows password guessing against a server other machines reach: after
 * {@link maxWrongPasswords} wrong passwords in a row an email's sign-in
 * pauses for a while, whatever the password.
 */
export function signInAttempts() {
  const wrong = new Map<string, { count: number; until: number }>();
  return {
    waitSeconds(email: string): number {
      const entry = wrong.get(email);
      if (!entry || entry.count < maxWrongPasswords) return 0;
      const left = entry.until - Date.now();
      if (left > 0) return Math.ceil(left / 1000);
      wrong.delete(email);
      return 0;
    },
    failed(email: string) {
      const entry = wrong.get(email) ?? { count: 0, until: 0 };
      entry.count += 1;
      entry.until = Date.now() + pauseMs;
      wrong.set(email, entry);
    },
    succeeded: (email: string) => wrong.delete(email),
  };
}
