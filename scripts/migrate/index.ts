/**
 * `npm run migrate -- --table <name> [--region <region>]`: brings a table
 * written by an earlier Accord up to the current key layout. Uses the AWS
 * credentials of the environment (or `DYNAMODB_ENDPOINT` for a local
 * engine). `npm start` runs the same steps on its local table by itself.
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { table: { type: 'string' }, region: { type: 'string' } } });
if (!values.table) {
  console.error('Usage: npm run migrate -- --table <table name> [--region <region>]');
  process.exit(2);
}
process.env.TABLE_NAME = values.table;
if (values.region) process.env.AWS_REGION = values.region;

// The store reads its table at import, so load it only once the environment is set.
const { moveAuditEvents } = await import('./audit-partition');
const moved = await moveAuditEvents();
console.log(`Moved ${moved} audit event${moved === 1 ? '' : 's'} into their workspaces' audit partitions.`);
