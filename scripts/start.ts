import './local/require-node';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type DynamoLocal, ensureTable, JavaMissing, startDynamoLocal } from './local/dynamo-local';
import { createLocalAuth } from './local/local-auth';

/**
 * `npm start`: DynamoDB Local on disk, the table, the local API server and the
 * built web app, all stopped together on Ctrl-C.
 *
 *   npm start                 # http://localhost:4280
 *   npm start -- --port 5000  # or PORT=5000 npm start
 *   npm start -- --demo       # load the demo company on first run
 */
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4280' },
    demo: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: process.env.ACCORD_DATA_DIR ?? resolve(root, '.accord-data') },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a TCP port number, got "${values.port}"`);
  process.exit(1);
}
const dataDir = resolve(values['data-dir']);
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
    probe.listen(port, () => probe.close(() => resolvePromise(true)));
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
  const created = await ensureTable(database.endpoint, tableName);

  // The store reads its endpoint at import, so load it only once the environment is set.
  const { createLocalServer } = await import('./local/server');
  const { demoPeople, loadDemo } = await import('./local/demo');
  if (!created) {
    // Data kept from an earlier version: bring it to the current key layout.
    const { moveAuditEvents } = await import('./migrate/audit-partition');
    const moved = await moveAuditEvents();
    if (moved > 0) console.log(`Moved ${moved} audit event${moved === 1 ? '' : 's'} into their workspaces' audit partitions.`);
  }
  if (values.demo && (await loadDemo())) console.log('Loaded the demo company.');

  const auth = await createLocalAuth({ keyFile: resolve(dataDir, 'local-signing-key.json') });
  const server = createLocalServer({
    auth,
    webRoot,
    webConfig: values.demo ? { signInHints: demoPeople } : {},
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      console.error(portTakenMessage);
    } else {
      console.error(`Cannot listen on port ${port}: ${error.message}`);
    }
    void stop(1);
  });
  server.listen(port, () => {
    console.log(`DynamoDB Local: ${database?.endpoint} (data in ${dataDir}${created ? ', new table' : ''})`);
    console.log(`Accord is running at http://localhost:${port}/  (Ctrl-C to stop)`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  void stop(1);
});
