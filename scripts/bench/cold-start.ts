import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The child process of one cold start. It reads the event (one JSON line) on
 * stdin, imports the bundle between two `performance.now()` readings (module
 * initialisation: load, parse and evaluate), says `imported`, and waits for
 * `go` before the first handler call, so the parent can warm DynamoDB Local in
 * between: the first answer then measures the function's own first request
 * path (lazy SDK set-up, middleware, parsing, its round trips), not DynamoDB
 * Local waking up after a pause. A module without a handler (a probe such as
 * zod alone) reports its initialisation only.
 */
const childScript = `
import { createInterface } from 'node:readline';
const [file, ...preload] = process.argv.slice(1);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const event = JSON.parse((await lines.next()).value);
for (const name of preload) await import(name);
const cpuStart = process.cpuUsage();
const importStart = performance.now();
const module = await import(file);
const init = performance.now() - importStart;
const cpuUsed = process.cpuUsage(cpuStart);
const initCpu = (cpuUsed.user + cpuUsed.system) / 1000;
const done = (result) => process.stdout.write(JSON.stringify(result) + '\\n', () => process.exit(0));
if (typeof module.handler !== 'function') {
  done({ init, initCpu });
} else {
  process.stdout.write('imported\\n');
  await lines.next();
  const context = { getRemainingTimeInMillis: () => 10000, awsRequestId: 'cold', functionName: 'bench' };
  const askedUs = Number(process.hrtime.bigint() / 1000n);
  const asked = performance.now();
  const answer = await module.handler(event, context);
  const answered = performance.now();
  const answeredUs = Number(process.hrtime.bigint() / 1000n);
  done({ init, initCpu, answer: answered - asked, total: answered, status: answer.statusCode ?? 200, askedUs, answeredUs });
}
`;

export interface ColdStart {
  init: number;
  /** CPU time of the import (all of the process's threads): less moved by other processes than wall time. */
  initCpu: number;
  answer: number;
  /** From process start to the answer, Node's own boot included. */
  total: number;
  status: number;
}

export type Warm = () => Promise<void>;

/**
 * With `ACCORD_BENCH_PROFILE=<folder>`, each measured start also writes a V8 CPU profile there (one folder per
 * bundle) and a `.mark` file beside it with the first call's start and end on the profile's clock, so the
 * profile can be split into module initialisation and first answer. Profiling slows both sides of a pair: its
 * ratios are not the bench's figures.
 */
const profileRoot = process.env.ACCORD_BENCH_PROFILE;
let profileCount = 0;

/** Busy and total CPU time of the machine so far, in clock ticks (`/proc/stat`); undefined where there is none. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the 4th and 5th fields.
    return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/**
 * Waits (at most a second) until the machine has been quiet for 50 ms, so a start does not share the cores with
 * DynamoDB Local still compiling or collecting after the previous start's requests, or with another process.
 */
async function quiet(): Promise<void> {
  const deadline = performance.now() + 1000;
  while (performance.now() < deadline) {
    const before = machineTicks();
    if (!before) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = machineTicks();
    if (!after) return;
    const busy = after.busy - before.busy;
    const total = after.total - before.total;
    if (total > 0 && busy / total <= 0.1) return;
  }
}

/**
 * The core every cold start runs on, when the machine has more than one and `taskset`: a Lambda function of
 * 512 MB (infra/api-function.ts) gets a third of a vCPU, so one core is the closer model, and a start alone on its
 * core varies far less than one whose compiler threads race DynamoDB Local and the bench for two (an import's time
 * from the 10th to the 90th percentile: ±7 % against ±25 %). DynamoDB Local and the bench keep to the other cores.
 */
export function isolateCore(others: number[]): { core: number; release(): void } | undefined {
  const cores = availableParallelism();
  if (cores < 2 || spawnSync('taskset', ['-V']).status !== 0) return undefined;
  const pin = (pid: number, list: string) => spawnSync('taskset', ['-a', '-p', '-c', list, String(pid)]).status === 0;
  const rest = `0-${cores - 2}`;
  const pinned = others.filter((pid) => pin(pid, rest));
  const release = () => {
    for (const pid of pinned) pin(pid, `0-${cores - 1}`);
  };
  return { core: cores - 1, release };
}
let startCore: number | undefined;

/** Every cold start of the section reaches DynamoDB Local through the recording proxy (replay.ts). */
let databaseEndpoint = process.env.DYNAMODB_ENDPOINT;

/** Where the next starts run and which endpoint they reach; both back to the defaults with no argument. */
export function startsOn(place: { core?: number; endpoint?: string } = {}) {
  startCore = place.core;
  databaseEndpoint = place.endpoint ?? process.env.DYNAMODB_ENDPOINT;
}

export async function coldStart(file: string, event: unknown, warm: Warm, preload: string[] = []): Promise<ColdStart> {
  const profile = profileRoot
    ? { dir: join(profileRoot, basename(dirname(file))), name: `start-${process.pid}-${++profileCount}` }
    : undefined;
  await quiet();
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile.dir}`, `--cpu-prof-name=${profile.name}.cpuprofile`] : [];
  return new Promise((resolve, reject) => {
    const node = [process.execPath, ...profiling, '--input-type=module', '-e', childScript, file, ...preload];
    const [command, ...args] = startCore === undefined ? node : ['taskset', '-c', String(startCore), ...node];
    const child = spawn(command ?? '', args, {
      env: { ...process.env, NODE_OPTIONS: '', DYNAMODB_ENDPOINT: databaseEndpoint },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // One line: JSON.stringify never emits a raw newline.
    child.stdin.write(`${JSON.stringify(event)}\n`);
    let out = '';
    let err = '';
    let released = false;
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (!released && out.includes('imported\n')) {
        released = true;
        warm().then(
          () => child.stdin.end('go\n'),
          (error: Error) => {
            child.kill();
            reject(new Error(`warming DynamoDB Local failed: ${error.message}`));
          },
        );
      }
    });
    child.stderr.on('data', (chunk) => {
      err += String(chunk);
    });
    // A start that never ends (a handler waiting on something that never comes) fails the run instead of hanging it.
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        const last = out.trim().split('\n').at(-1) ?? '';
        const result = JSON.parse(last) as Partial<ColdStart> & { askedUs?: number; answeredUs?: number };
        if (profile && result.askedUs !== undefined) {
          mkdirSync(profile.dir, { recursive: true });
          writeFileSync(
            join(profile.dir, `${profile.name}.mark`),
            JSON.stringify({ askedUs: result.askedUs, answeredUs: result.answeredUs }),
          );
        }
        resolve({
          init: result.init ?? Number.NaN,
          initCpu: result.initCpu ?? Number.NaN,
          answer: result.answer ?? Number.NaN,
          total: result.total ?? Number.NaN,
          status: result.status ?? 0,
        });
      } catch {
        reject(new Error(`cold start of ${file} failed: ${err.slice(0, 400)}`));
      }
    });
  });
}

/**
 * A request of each kind the functions' first requests take (a read and a
 * transaction) on a key no record uses, sent just before a child's first
 * handler call: DynamoDB Local answers its first request after a pause
 * 10–65 ms late, which would otherwise land on whichever side asked first.
 */
export function warmer(): Warm {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const table = process.env.TABLE_NAME;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: process.env.AWS_REGION ?? 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const key = { pk: 'BENCH', sk: 'WARM' };
  return async () => {
    await client.send(new GetCommand({ TableName: table, Key: key }));
    await client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: key } }] }));
  };
}
