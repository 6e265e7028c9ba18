import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoLocal, ensureTable, freePort, startDynamoLocal } from '../../scripts/local/dynamo-local';

/**
 * A DynamoDB Local of a test's own, which the test may kill, pause and
 * restart; the shared engine of `global-setup.ts` is never touched. Data is
 * kept on disk in a temporary folder, so a restart finds it again.
 */
export interface OwnEngine {
  endpoint: string;
  dataDir: string;
  /** Ends the engine at once, as a crash would (SIGKILL). */
  kill(): Promise<void>;
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
  return {
    endpoint: engine.endpoint,
    dataDir,
    async kill() {
      if (exited()) return;
      const gone = new Promise((resolve) => engine.process.once('exit', resolve));
      engine.process.kill('SIGKILL');
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
    },
    pause() {
      engine.process.kill('SIGSTOP');
    },
    resume() {
      engine.process.kill('SIGCONT');
    },
    async stop() {
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
