import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const moduleUrl = resolve(import.meta.dirname, '../../functions/lib/backup-key.ts');
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
