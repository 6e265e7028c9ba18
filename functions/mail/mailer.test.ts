import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEmailRequest, sendMail } from './mailer';
import { actionReminderMail, invitationMail } from './messages';

class Sha256 {
  private readonly hash;
  constructor(secret?: Uint8Array | string) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: Uint8Array | string) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

describe('the SES request', () => {
  const env = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token-example',
  };
  const at = new Date('2026-11-30T06:00:00Z');
  const mail = { to: 'ola@halden.example', subject: 'Due tomorrow: order castings', text: 'Hello' };

  it('is SESv2 SendEmail from the configured sender to the one recipient', () => {
    const request = sendEmailRequest('accord@halden.example', mail, env, at);
    expect(request.url).toBe('https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails');
    expect(JSON.parse(request.body)).toEqual({
      FromEmailAddress: 'accord@halden.example',
      Destination: { ToAddresses: ['ola@halden.example'] },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: 'Hello', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('is signed exactly as the AWS SDK signs it (Signature Version 4, service ses)', async () => {
    const ours = sendEmailRequest('accord@halden.example', mail, env, at);
    const signer = new SignatureV4({
      service: 'ses',
      region: env.AWS_REGION,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
      },
      sha256: Sha256 as never,
      applyChecksum: false,
    });
    const { authorization: _ours, ...headers } = ours.headers;
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'email.eu-west-1.amazonaws.com',
        path: '/v2/email/outbound-emails',
        headers,
        body: ours.body,
        query: {},
      },
      { signingDate: at },
    );
    expect(ours.headers.authorization).toBe(signed.headers.authorization);
  });
});

describe('messages', () => {
  it('fold names onto one line, so a workspace name cannot add a header line', () => {
    const mail = invitationMail({
      to: 'a@test.example',
      workspaceId: 'ws1',
      workspaceName: 'Acme\r\nBcc: evil@test.example',
      invitedBy: { name: 'Ingrid', email: 'ingrid@test.example' },
    });
    expect(mail.subject).toBe('You were invited to Acme Bcc: evil@test.example on Accord');
    expect(mail.text).toContain('Open Accord and sign in');
  });

  it('say due tomorrow the day before, due today on the day, and overdue after it', () => {
    const base = { to: 'a@test.example', ownerName: 'Ola', workspaceId: 'ws1', meetingTitle: 'S&OP', text: 'Order castings' };
    expect(actionReminderMail({ ...base, dueDate: '2026-12-01', today: '2026-11-30' }).subject).toBe(
      'Due tomorrow: Order castings',
    );
    expect(actionReminderMail({ ...base, dueDate: '2026-11-30', today: '2026-11-30' }).subject).toBe('Due today: Order castings');
    expect(actionReminderMail({ ...base, dueDate: '2026-11-29', today: '2026-11-30' }).subject).toBe(
      'Overdue since 2026-11-29: Order castings',
    );
  });
});

describe('sendMail', () => {
  const outbox = mkdtempSync(join(tmpdir(), 'accord-outbox-'));
  beforeAll(() => {
    process.env.MAIL_OUTBOX_DIR = outbox;
  });
  afterAll(() => {
    delete process.env.MAIL_OUTBOX_DIR;
  });

  it('refuses a message with a second header line, a bad or second recipient, or a body over its bound, writing nothing', async () => {
    const before = readdirSync(outbox).length;
    const text = 'hello';
    await expect(sendMail({ to: 'a@test.example', subject: 'Hi\r\nBcc: b@test.example', text })).rejects.toThrow();
    await expect(sendMail({ to: 'a@test.example, b@test.example', subject: 'Hi', text })).rejects.toThrow();
    await expect(sendMail({ to: 'not an email', subject: 'Hi', text })).rejects.toThrow();
    await expect(sendMail({ to: 'a@test.example', subject: 'Hi', text: 'x'.repeat(33 * 1024) })).rejects.toThrow();
    await expect(sendMail({ to: 'a@test.example', subject: 'x'.repeat(201), text })).rejects.toThrow();
    expect(readdirSync(outbox)).toHaveLength(before);
  });

  it('sends nothing, and says so, when no transport is configured', async () => {
    const dir = process.env.MAIL_OUTBOX_DIR;
    delete process.env.MAIL_OUTBOX_DIR;
    try {
      const result = await sendMail({ to: 'a@test.example', subject: 'Hi', text: 'hello' });
      expect(result).toEqual({ sent: false, transport: 'none', reason: 'No mail transport is configured' });
    } finally {
      process.env.MAIL_OUTBOX_DIR = dir;
    }
  });
});
