import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

// The store reads these once at import; every test file talks to the shared
// local engine, and refuses to run against anything that is not local.
const endpoint = inject('dynamoEndpoint');
if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(endpoint)) {
  throw new Error(`Tests run only against DynamoDB Local, not ${endpoint}`);
}
process.env.DYNAMODB_ENDPOINT = endpoint;
process.env.TABLE_NAME = inject('tableName');
process.env.AWS_REGION = 'eu-west-1';
// The API's request log and metric lines (functions/kernel/logger.ts) would drown the test output.
process.env.ACCORD_LOG ??= 'silent';
// Backups are signed with a key of this test process: an export restores within the file that made it.
process.env.BACKUP_SIGNING_KEY ??= randomBytes(32).toString('hex');
