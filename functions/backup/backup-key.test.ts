import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const moduleUrl = resolve(import.meta.dirname, 'backup-key.ts');
const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');

/** Loads the key module in a fresh process with only the given environment, answering its key (hex) or its error. */
function load(env: Record<string, string>) {
  const script = `import('${moduleUrl}').then(async (m) => console.log((await m.backupKey()).toString('hex')), (e) => { console.log('ERROR ' + e.message); })`;
  const { PATH, HOME } = process.env;
  const result = spawnSync(tsx, ['-e', script], { env: { PATH: PATH ?? '', HOME: HOME ?? '', ...env }, encoding: 'utf8' });
  return result.stdout.trim();
}

describe('the backup signing key', () => {
  it('fails at load, naming what to set, when the environment names no key', () => {
    expect(load({})).toMatch(/^ERROR Missing environment variable BACKUP_SIGNING_KEY_SECRET/);
  });

  it('is made once in the local data folder, readable only by its owner, and the same after a restart', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'accord-key-')), 'backup-signing-key');
    const first = load({ BACKUP_SIGNING_KEY_FILE: file });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(load({ BACKUP_SIGNING_KEY_FILE: file })).toBe(first);
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(load({ BACKUP_SIGNING_KEY: 'abcd' })).toMatch(/^ERROR .*at least 32 bytes/);
  });
});

describe('the request that reads the key from Secrets Manager', () => {
  it('is signed exactly as the AWS SDK signs it (Signature Version 4)', async () => {
    process.env.BACKUP_SIGNING_KEY ??= 'ab'.repeat(32);
    const { secretValueRequest } = await import('./backup-key');
    const { SignatureV4 } = await import('@smithy/signature-v4');
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
    const env = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'session-token-example',
    };
    const at = new Date('2026-11-30T05:20:00Z');
    const ours = secretValueRequest('arn:aws:secretsmanager:eu-west-1:123456789012:secret:backup', env, at);
    const signer = new SignatureV4({
      service: 'secretsmanager',
      region: env.AWS_REGION,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
      },
      sha256: Sha256 as never,
      // The payload hash header is optional outside S3; the request sends none.
      applyChecksum: false,
    });
    const { authorization: _ours, ...headers } = ours.headers;
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: `secretsmanager.${env.AWS_REGION}.amazonaws.com`,
        path: '/',
        headers,
        body: ours.body,
        query: {},
      },
      { signingDate: at },
    );
    expect(ours.headers.authorization).toBe(signed.headers.authorization);
  });
});
