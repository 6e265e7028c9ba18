import '#scripts/local/require-node';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type DynamoLocal, ensureTable, JavaMissing, startDynamoLocal } from '#scripts/local/dynamo-local';
import { createLocalAccounts } from '#scripts/local/local-accounts';
import { createLocalAuth } from '#scripts/local/local-auth';
import { defaultHost, isLoopback } from '#scripts/local/serve';

/**
 * `npm start`: DynamoDB Local on disk, the table, the local API server and the
 * built web app, all stopped together on Ctrl-C.
 *
 *   npm start                 # http://localhost:4280, this machine only
 *   npm start -- --port 5000  # or PORT=5000 npm start
 *   npm start -- --demo       # load the demo company on first run
 *   npm start -- --host 0.0.0.0 --admin you@company.example
 *                             # serve other machines: local accounts with passwords
 */
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4280' },
    demo: { type: 'boolean', default: false },
    host: { type: 'string', default: process.env.ACCORD_HOST ?? defaultHost },
    admin: { type: 'string' },
    'data-dir': { type: 'string', default: process.env.ACCORD_DATA_DIR ?? resolve(root, '.accord-data') },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a TCP port number, got "${values.port}"`);
  process.exit(1);
}
const dataDir = resolve(values['data-dir']);
const host = values.host;
const withAccounts = !isLoopback(host);
const tableName = 'accord';

let database: DynamoLocal | undefined;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await database?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// If anything else ends this process, do not leave Java running behind it.
process.on('exit', () => database?.process.kill('SIGKILL'));

const portTakenMessage = `Port ${port} is taken: stop what uses it, or start with --port <n> (or PORT=<n>).`;

/** Whether the port is free, checked before Java starts so a clash costs nothing. */
function portIsFree(): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, host, () => probe.close(() => resolvePromise(true)));
  });
}

async function main() {
  if (!(await portIsFree())) {
    console.error(portTakenMessage);
    process.exit(1);
  }
  const webRoot = resolve(root, 'web/dist');
  if (!existsSync(resolve(webRoot, 'index.html'))) {
    console.log('Building the web app…');
    process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
    const { build } = await import('vite');
    await build({ configFile: resolve(root, 'web/vite.config.ts'), logLevel: 'warn' });
  }

  try {
    database = await startDynamoLocal({ dataDir: resolve(dataDir, 'dynamodb') });
  } catch (error) {
    if (error instanceof JavaMissing) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.DYNAMODB_ENDPOINT = database.endpoint;
  process.env.TABLE_NAME = tableName;
  // Backups are signed with a key kept beside the data, so they restore after a restart.
  process.env.BACKUP_SIGNING_KEY_FILE ??= resolve(dataDir, 'backup-signing-key');
  // Mail stays on this machine: one file per message, listed at /local/outbox.
  const outboxDir = resolve(dataDir, 'outbox');
  process.env.MAIL_OUTBOX_DIR ??= outboxDir;
  const created = await ensureTable(database.endpoint, tableName);

  // The store reads its endpoint at import, so load it only once the environment is set.
  const { serve } = await import('#scripts/local/serve');
  const { demoPeople, loadDemo } = await import('#scripts/local/demo');
  if (!created) {
    // Data kept from an earlier version: bring it to the current key layout.
    const { moveAuditEvents } = await import('#scripts/migrate/audit-partition');
    const moved = await moveAuditEvents();
    if (moved > 0) console.log(`Moved ${moved} audit event${moved === 1 ? '' : 's'} into their workspaces' audit partitions.`);
  }
  if (values.demo && (await loadDemo())) console.log('Loaded the demo company.');

  const auth = await createLocalAuth({ keyFile: resolve(dataDir, 'local-signing-key.json') });
  const accounts = withAccounts ? createLocalAccounts({ file: resolve(dataDir, 'local-accounts.json') }) : undefined;
  let started: Awaited<ReturnType<typeof serve>>;
  try {
    started = await serve({
      auth,
      accounts,
      webRoot,
      port,
      host,
      webConfig: values.demo ? { signInHints: demoPeople } : {},
      outboxDir: process.env.MAIL_OUTBOX_DIR,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === 'EADDRINUSE' ? portTakenMessage : `Cannot start on ${host}:${port}: ${(error as Error).message}`);
    return stop(1);
  }
  console.log(`DynamoDB Local: ${database?.endpoint} (data in ${dataDir}${created ? ', new table' : ''})`);
  if (accounts) {
    console.log(`Serving other machines on ${host}: sign-in is by local account and password, never by email alone.`);
    const admin = values.admin?.trim().toLowerCase();
    if (admin && !accounts.has(admin)) {
      const { token, expiresAt } = accounts.issueLink(admin, admin.split('@')[0] ?? admin);
      console.log(`Set the password of ${admin} once, before ${expiresAt}: ${started.url}set-password#${token}`);
    } else if (!admin) {
      console.log('Give --admin <email> to get a one-time link that sets a first password.');
    }
  }
  // Links in mail point at the app as this machine reaches it.
  process.env.APP_URL ??= started.url;
  console.log(`Mail goes to the outbox: ${started.url}local/outbox (this machine only)`);
  const { jobs } = await import('#functions/jobs/index');
  const { startClock } = await import('#scripts/local/clock');
  startClock(jobs);
  console.log(`Scheduled jobs run on a timer: ${jobs.map((job) => job.name).join(', ')}`);
  console.log(`Accord is running at ${started.url}  (Ctrl-C to stop)`);
}

main().catch((error: unknown) => {
  console.error(error);
  void stop(1);
});
