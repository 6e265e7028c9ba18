import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '#scripts/local/dynamo-local';

/**
 * Gives a test file a table of its own on the shared engine, for data that
 * cannot be told apart by workspace: the demo company has fixed people, so
 * two files loading it into one table would see each other's copy. Call it
 * before the first request or store call of the file; the store reads the
 * table name once, on first use, and every test file runs in its own process.
 */
export async function useOwnTable(label: string): Promise<string> {
  const name = `accord-${label}-${randomUUID().slice(0, 8)}`;
  await ensureTable(inject('dynamoEndpoint'), name);
  process.env.TABLE_NAME = name;
  return name;
}
