import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { type AwsEnvironment, signedPost } from '#functions/mail/sigv4';

/**
 * The deployment's key for signing backups (HMAC-SHA256), read once per cold
 * start from the one place the environment names:
 *
 * - `BACKUP_SIGNING_KEY_SECRET`: a Secrets Manager secret (its ARN), on AWS.
 *   Only the backup functions may read it.
 * - `BACKUP_SIGNING_KEY_FILE`: a file in the local data folder (`npm start`),
 *   made on first use and kept, so backups stay restorable across restarts.
 * - `BACKUP_SIGNING_KEY`: the key itself (hex), for tests and the bench.
 *
 * None set is a deployment error: this module throws when it is loaded, so
 * the function fails at its cold start, not at a restore.
 */
const secret = process.env.BACKUP_SIGNING_KEY_SECRET;
const file = process.env.BACKUP_SIGNING_KEY_FILE;
const inline = process.env.BACKUP_SIGNING_KEY;
if (!secret && !file && !inline) {
  throw new Error(
    'Missing environment variable BACKUP_SIGNING_KEY_SECRET (AWS), BACKUP_SIGNING_KEY_FILE (local) or BACKUP_SIGNING_KEY',
  );
}

function fromFile(path: string): Buffer {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return keyFrom(readFileSync(path, 'utf8'), path);
}

function keyFrom(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length < 32) throw new Error(`The backup signing key in ${where} must be at least 32 bytes of hex`);
  return key;
}

export type { AwsEnvironment } from '#functions/mail/sigv4';

/**
 * Secrets Manager's GetSecretValue, signed by hand (see `sigv4.ts`): one small
 * request at cold start does not justify another SDK client in every backup bundle.
 */
export function secretValueRequest(secretId: string, env: AwsEnvironment, at: Date) {
  return signedPost(
    {
      service: 'secretsmanager',
      host: `secretsmanager.${env.AWS_REGION ?? ''}.amazonaws.com`,
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: secretId }),
    },
    env,
    at,
  );
}

const secretValue = lazySchema(() => z.object({ SecretString: z.optional(z.string()) }));

async function fromSecretsManager(secretId: string): Promise<Buffer> {
  const { url, ...request } = secretValueRequest(secretId, process.env, new Date());
  const response = await fetch(url, request);
  if (!response.ok) throw new Error(`Cannot read the backup signing key: Secrets Manager answered ${response.status}`);
  const { SecretString } = secretValue.parse(await response.json());
  // The stack generates the secret as 64 random characters; their bytes are the key.
  const key = Buffer.from(SecretString ?? '', 'utf8');
  if (key.length < 32) throw new Error('The backup signing key secret must be at least 32 characters');
  return key;
}

const loaded: Promise<Buffer> = secret
  ? fromSecretsManager(secret)
  : Promise.resolve(file ? fromFile(file) : keyFrom(inline ?? '', 'BACKUP_SIGNING_KEY'));
// Awaited on use; a failure at cold start is reported there, not as an unhandled rejection.
loaded.catch(() => undefined);

/** The deployment's backup signing key. */
export const backupKey = (): Promise<Buffer> => loaded;
