import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SentMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * The mails in a local outbox folder (`MAIL_OUTBOX_DIR`), one JSON file each,
 * read as the outbox page and a person reading them see them: what was sent,
 * not how the mailer keeps it.
 */
export function mailsIn(dir: string): SentMail[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as SentMail);
}
