import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { optionalEnv } from '#functions/runtime/env';
import { signedPost } from './sigv4';

/**
 * The one way the app sends email (see docs/mail-and-clock.md). Where a
 * message goes is decided by the environment, read on each send:
 *
 * - `MAIL_OUTBOX_DIR`: a folder (locally `.accord-data/outbox/`); each message
 *   is one JSON file, listed by the local server at `/local/outbox`.
 * - `MAIL_FROM`: the sender address of a verified SES identity, on AWS; the
 *   message goes through SES (SESv2 SendEmail) in the function's region.
 * - neither: nothing is sent. Whatever the message said stays in the app.
 */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export const maxSubjectLength = 200;
export const maxTextBytes = 32 * 1024;
export const maxHtmlBytes = 64 * 1024;

const bytes = (limit: number) => (value: string) => Buffer.byteLength(value, 'utf8') <= limit;

export const mailSchema = lazySchema(() =>
  z.strictObject({
    to: z.email().check(z.maxLength(254)),
    // A line break in a subject would start a new header line in the message.
    subject: z.string().check(
      z.minLength(1),
      z.maxLength(maxSubjectLength),
      z.refine((value) => !/[\r\n]/.test(value), 'must be one line'),
    ),
    text: z.string().check(z.minLength(1), z.refine(bytes(maxTextBytes), `must be at most ${maxTextBytes} bytes`)),
    html: z.optional(z.string().check(z.refine(bytes(maxHtmlBytes), `must be at most ${maxHtmlBytes} bytes`))),
  }),
);

/** What became of a message. */
export type MailResult =
  | { sent: true; transport: 'outbox' | 'ses'; id: string }
  | { sent: false; transport: 'none'; reason: string };

/** A message as the outbox keeps it. */
export interface OutboxMessage extends Mail {
  id: string;
  from: string;
  at: string;
}

/** Where mail goes with the current environment. */
export function mailTransport(): 'outbox' | 'ses' | 'none' {
  if (optionalEnv('MAIL_OUTBOX_DIR')) return 'outbox';
  if (optionalEnv('MAIL_FROM')) return 'ses';
  return 'none';
}

/** Whether a message sent now would reach anybody. */
export const mailEnabled = () => mailTransport() !== 'none';

const localSender = 'accord@localhost';

/** Outbox file names: time first so a listing sorts oldest to newest, then a random part. */
const outboxIdPattern = /^\d{8}T\d{6}\d{3}Z-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function toOutbox(dir: string, mail: Mail, now: Date): MailResult {
  const id = `${now.toISOString().replace(/[-:.]/g, '')}-${randomUUID()}`;
  const message: OutboxMessage = { id, from: localSender, at: now.toISOString(), ...mail };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(message, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { sent: true, transport: 'outbox', id };
}

/** SESv2 SendEmail, signed by hand (see `sigv4.ts`) rather than adding the SES client to the bundles that mail. */
export function sendEmailRequest(from: string, mail: Mail, env: NodeJS.ProcessEnv, at: Date) {
  const content = (data: string) => ({ Data: data, Charset: 'UTF-8' });
  const body = JSON.stringify({
    FromEmailAddress: from,
    Destination: { ToAddresses: [mail.to] },
    Content: {
      Simple: {
        Subject: content(mail.subject),
        Body: { Text: content(mail.text), ...(mail.html ? { Html: content(mail.html) } : {}) },
      },
    },
  });
  return signedPost(
    {
      service: 'ses',
      host: `email.${env.AWS_REGION ?? ''}.amazonaws.com`,
      path: '/v2/email/outbound-emails',
      headers: { 'content-type': 'application/json' },
      body,
    },
    env,
    at,
  );
}

const sesAnswer = lazySchema(() => z.object({ MessageId: z.optional(z.string()) }));

async function toSes(from: string, mail: Mail, now: Date): Promise<MailResult> {
  const { url, ...request } = sendEmailRequest(from, mail, process.env, now);
  const response = await fetch(url, { ...request, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`SES answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const { MessageId } = sesAnswer.parse(await response.json());
  return { sent: true, transport: 'ses', id: MessageId ?? '' };
}

/**
 * Sends one message to one person. The message is checked first (one
 * recipient address, a one-line subject, bounded bodies): a bad message is a
 * bug of its caller and throws before anything is sent.
 */
export async function sendMail(mail: Mail, now = new Date()): Promise<MailResult> {
  const checked = mailSchema.parse(mail);
  const outbox = optionalEnv('MAIL_OUTBOX_DIR');
  if (outbox) return toOutbox(outbox, checked, now);
  const from = optionalEnv('MAIL_FROM');
  if (from) return toSes(from, checked, now);
  return { sent: false, transport: 'none', reason: 'No mail transport is configured' };
}

/** Whether a string is an outbox message id (and so safe as a file name). */
export const isOutboxId = (id: string) => outboxIdPattern.test(id);

/** The newest messages of an outbox folder, newest first. */
export function listOutbox(dir: string, limit = 200): OutboxMessage[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json') && isOutboxId(name.slice(0, -5)))
    .sort()
    .reverse()
    .slice(0, limit)
    .flatMap((name) => {
      const message = readOutbox(dir, name.slice(0, -5));
      return message ? [message] : [];
    });
}

/** One outbox message by id, or undefined. */
export function readOutbox(dir: string, id: string): OutboxMessage | undefined {
  if (!isOutboxId(id)) return undefined;
  try {
    const parsed = z
      .extend(mailSchema, { id: z.string(), from: z.string(), at: z.string() })
      .safeParse(JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
