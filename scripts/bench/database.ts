import { randomBytes } from 'node:crypto';
import { ensureTable, startDynamoLocal } from '#scripts/local/dynamo-local';

export const benchTableName = 'accord-bench';

/**
 * Starts the bench's own in-memory DynamoDB Local with the table, and points
 * the store at it. Must run before anything imports the store, which reads
 * its endpoint and table once at import.
 */
export async function startBenchDatabase() {
  const database = await startDynamoLocal({ dataDir: null });
  await ensureTable(database.endpoint, benchTableName);
  process.env.DYNAMODB_ENDPOINT = database.endpoint;
  process.env.TABLE_NAME = benchTableName;
  process.env.AWS_REGION = 'eu-west-1';
  process.env.BACKUP_SIGNING_KEY ??= randomBytes(32).toString('hex');
  return database;
}
