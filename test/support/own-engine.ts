import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoLocal, ensureTable, freePort, startDynamoLocal } from '#scripts/local/dynamo-local';

/**
 * A DynamoDB Local of a test's own, which the test may kill, pause and
 * restart; the shared engine of `global-setup.ts` is never touched. Data is
 * kept on disk in a temporary folder, so a restart finds it again.
 *
 * The API reaches it through a TCP relay of the test's. A kill first cuts
 * the relay (every open connection reset, new ones refused) and only then
 * ends the engine: DynamoDB Local keeps answering requests while it shuts
 * down and may acknowledge a write it never stores, which is the emulator's
 * own shutdown behaviour, not a crash of the database as the API sees it.
 */
export interface OwnEngine {
  endpoint: string;
  dataDir: string;
  /**
   * Ends the engine: SIGKILL by default, as a crash would. DynamoDB Local may
   * lose a write it acknowledged in the last instant before a SIGKILL (it
   * answers before its file is written); SIGTERM stops it without that loss.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections open, nothing answers. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export const ownTableName = 'accord-own';

export async function startOwnEngine(): Promise<OwnEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-engine-'));
  const port = await freePort();
  let engine: DynamoLocal = await startDynamoLocal({ dataDir, port });
  await ensureTable(engine.endpoint, ownTableName);
  const exited = () => engine.process.exitCode !== null || engine.process.signalCode !== null;

  const sockets = new Set<Socket>();
  let relaying = true;
  const relay = createServer((client) => {
    if (!relaying) {
      client.destroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', close);
      socket.on('close', close);
    }
    client.pipe(upstream).pipe(client);
  });
  const relayPort = await freePort();
  await new Promise<void>((resolve) => relay.listen(relayPort, '127.0.0.1', resolve));
  const cut = () => {
    relaying = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  return {
    endpoint: `http://127.0.0.1:${relayPort}`,
    dataDir,
    async kill(signal = 'SIGKILL') {
      cut();
      if (exited()) return;
      const gone = new Promise((resolve) => engine.process.once('exit', resolve));
      engine.process.kill(signal);
      await gone;
    },
    async restart() {
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          engine = await startDynamoLocal({ dataDir, port });
          break;
        } catch (error) {
          // The port can take a moment to be free again after a kill.
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      await ensureTable(engine.endpoint, ownTableName);
      relaying = true;
    },
    pause() {
      engine.process.kill('SIGSTOP');
    },
    resume() {
      engine.process.kill('SIGCONT');
    },
    async stop() {
      cut();
      await new Promise((resolve) => relay.close(resolve));
      if (!exited()) {
        engine.process.kill('SIGCONT');
        await engine.stop();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Points the store of this test process at the engine. Handler modules read
 * the endpoint when they first load, which is on the first request, so call
 * this before any request reaches the API.
 */
export function useEngine(engine: OwnEngine): () => void {
  const previous = { endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME };
  process.env.DYNAMODB_ENDPOINT = engine.endpoint;
  process.env.TABLE_NAME = ownTableName;
  return () => {
    process.env.DYNAMODB_ENDPOINT = previous.endpoint;
    process.env.TABLE_NAME = previous.table;
  };
}
