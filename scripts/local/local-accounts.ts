import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Local accounts for a server that other machines reach: one password per
 * person, kept as a salted scrypt hash, and one-time set-password links an
 * admin hands to the people they invite. Only the hash of a link's token is
 * kept, so the accounts file alone does not let anyone set a password.
 */
export interface LocalAccounts {
  /** The person when the email has an account and the password is theirs, else null. */
  check(email: string, password: string): Promise<{ email: string; name: string } | null>;
  /** Whether the email has a password set. */
  has(email: string): boolean;
  /** A new one-time token that lets the email set its password, until it expires or is used. */
  issueLink(email: string, name: string): { token: string; expiresAt: string };
  /** Sets the password of the link's email; null when the link is unknown, used or expired. Uses the link up. */
  setPassword(token: string, password: string): Promise<{ email: string; name: string } | null>;
}

export const minPasswordLength = 10;
const linkLifetimeMs = 7 * 24 * 60 * 60 * 1000;
const keyLength = 64;
const derive = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

interface Account {
  name: string;
  salt: string;
  hash: string;
  updatedAt: string;
}

interface Link {
  email: string;
  name: string;
  expiresAt: string;
}

interface Stored {
  accounts: Record<string, Account>;
  links: Record<string, Link>;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** A hash to compare against when the email has no account, so a wrong email costs as long as a wrong password. */
const decoy: Account = { name: '', salt: randomBytes(16).toString('hex'), hash: '00'.repeat(keyLength), updatedAt: '' };

/** Accounts kept in `file` (created with owner-only permissions), or in memory without one. */
export function createLocalAccounts(options: { file?: string; now?: () => Date } = {}): LocalAccounts {
  const now = options.now ?? (() => new Date());
  const stored: Stored =
    options.file && existsSync(options.file)
      ? (JSON.parse(readFileSync(options.file, 'utf8')) as Stored)
      : { accounts: {}, links: {} };
  const save = () => {
    if (!options.file) return;
    const temporary = `${options.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(temporary, options.file);
  };
  const dropExpired = () => {
    for (const [key, link] of Object.entries(stored.links)) {
      if (link.expiresAt <= now().toISOString()) delete stored.links[key];
    }
  };

  return {
    has: (email) => Object.hasOwn(stored.accounts, email),
    async check(email, password) {
      const account = Object.hasOwn(stored.accounts, email) ? stored.accounts[email] : undefined;
      const against = account ?? decoy;
      const hash = await derive(password, Buffer.from(against.salt, 'hex'), keyLength);
      const matches = timingSafeEqual(hash, Buffer.from(against.hash, 'hex'));
      return account && matches ? { email, name: account.name } : null;
    },
    issueLink(email, name) {
      dropExpired();
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + linkLifetimeMs).toISOString();
      stored.links[digest(token)] = { email, name, expiresAt };
      save();
      return { token, expiresAt };
    },
    async setPassword(token, password) {
      const key = digest(token);
      const link = Object.hasOwn(stored.links, key) ? stored.links[key] : undefined;
      // Used up before the first await, so two uses at once cannot both pass.
      delete stored.links[key];
      if (!link || link.expiresAt <= now().toISOString()) {
        save();
        return null;
      }
      const salt = randomBytes(16);
      const hash = await derive(password, salt, keyLength);
      const name = stored.accounts[link.email]?.name ?? link.name;
      stored.accounts[link.email] = {
        name,
        salt: salt.toString('hex'),
        hash: hash.toString('hex'),
        updatedAt: now().toISOString(),
      };
      save();
      return { email: link.email, name };
    },
  };
}
