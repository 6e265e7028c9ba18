import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AnyRoute, apiPrefix, type RouteName, routes } from '#contract/index';
import type { LocalAuth } from '#scripts/local/local-auth';
import type { Bundle, Probe } from './bundles';
import { prepareReplay, type RecordingProxy, replayOf, sameShape, startRecordingProxy } from './replay';
import type { Figure } from './report';
import type { MeasuredCall } from './requests';

/** Targets, as ratios to the bare SDK handler measured in the same pairs. */
export const initLimit = 1.3;
export const answerLimit = 1.5;

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

interface ColdStart {
  init: number;
  /** CPU time of the import (all of the process's threads): less moved by other processes than wall time. */
  initCpu: number;
  answer: number;
  /** From process start to the answer, Node's own boot included. */
  total: number;
  status: number;
}

type Warm = () => Promise<void>;

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
function isolateCore(others: number[]): { core: number; release(): void } | undefined {
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

async function coldStart(file: string, event: unknown, warm: Warm, preload: string[] = []): Promise<ColdStart> {
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
function warmer(): Warm {
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

/** The API Gateway (HTTP API, payload v2) event for a measured call, as the local server builds it. */
async function eventOf(call: MeasuredCall, auth: LocalAuth) {
  const route = (routes as Record<string, AnyRoute>)[call.route] as AnyRoute;
  const url = new URL(`http://localhost${apiPrefix}${call.path}`);
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const pattern = new RegExp(`^${apiPrefix}${route.path.replace(/\{(\w+)\}/g, '([^/]+)')}$`);
  const found = pattern.exec(url.pathname);
  const pathParameters = Object.fromEntries(names.map((name, index) => [name, found?.[index + 1] ?? '']));
  const claims = route.access.kind === 'public' ? {} : ((await auth.verify(call.token)) ?? {});
  const routeKey = `${call.method} ${apiPrefix}${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: { 'content-type': 'application/json', host: 'localhost' },
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: names.length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'bench',
      http: { method: call.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'cold',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    isBase64Encoded: false,
  };
}

/** The value at fraction `p` of the sorted values, interpolated between neighbours. */
function quantile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] ?? Number.NaN) + ((sorted[high] ?? Number.NaN) - (sorted[low] ?? Number.NaN)) * (at - low);
}

/** Median, quartiles and range of a sample. */
export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const spreadNote = (s: ReturnType<typeof summary>) =>
  `IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)}, range ${s.min.toFixed(2)}–${s.max.toFixed(2)}`;

/**
 * Runs `pairs` interleaved cold starts, the measured bundle then the
 * baseline, after one uncounted start of each that brings both files into the
 * page cache. Each pair gives one ratio, taken in the same moment of machine
 * load; the median of those ratios is the figure and their spread shows how
 * far one figure can be trusted.
 */
async function pairs(
  file: string,
  eventOfRound: (round: number) => Promise<unknown>,
  baselines: Baselines,
  warm: Warm,
  count: number,
  preload: string[] = [],
) {
  const { baseline, replay, proxy } = baselines;
  const baselineEvent = { routeKey: 'GET /bench' };
  /**
   * The function's start just made, replayed by the bare SDK; a replay that fails fails the figure. A start that
   * sent no database request has nothing to replay: its first answer is set against the GetItem handler's.
   */
  const replayed = async () => {
    if (!replay || !proxy) return undefined;
    const requests = replayOf(proxy.take());
    if (requests.rounds.length === 0) return undefined;
    await prepareReplay(requests, process.env.TABLE_NAME ?? '', process.env.DYNAMODB_ENDPOINT ?? '');
    const start = await coldStart(replay.file, { rounds: requests.rounds }, warm);
    // A replay counts only if it answered and sent what the function sent, in as many round trips.
    const faithful = start.status === 200 && sameShape(requests, replayOf(proxy.take()));
    return faithful ? start : { ...start, answer: Number.NaN };
  };
  // Only the function's own requests are replayed: what the proxy saw before its start is let go.
  const ownStart = async (round: number) => {
    const event = await eventOfRound(round);
    proxy?.take();
    return coldStart(file, event, warm, preload);
  };
  await ownStart(-1);
  await replayed();
  await coldStart(baseline.file, baselineEvent, warm);
  const own: ColdStart[] = [];
  const base: ColdStart[] = [];
  const same: Array<ColdStart | undefined> = [];
  for (let round = 0; round < count; round++) {
    own.push(await ownStart(round));
    same.push(await replayed());
    base.push(await coldStart(baseline.file, baselineEvent, warm));
  }
  const answerBase = own.map((_, i) => same[i] ?? base[i]);
  const replays = same.filter((start) => start !== undefined);
  return {
    own,
    base,
    init: summary(own.map((o, i) => o.init / (base[i]?.init ?? Number.NaN))),
    initCpu: summary(own.map((o, i) => o.initCpu / (base[i]?.initCpu ?? Number.NaN))),
    answer: summary(own.map((o, i) => o.answer / (answerBase[i]?.answer ?? Number.NaN))),
    /** Whether the first answer was set against the replay of its requests (else the GetItem handler). */
    replayed: replays.length > 0,
    answerOfGetItem: summary(own.map((o, i) => o.answer / (base[i]?.answer ?? Number.NaN))),
    ownInit: summary(own.map((o) => o.init)).median,
    ownAnswer: summary(own.map((o) => o.answer)).median,
    baseInit: summary(base.map((b) => b.init)).median,
    baseAnswer: summary(base.map((b) => b.answer)).median,
    replayAnswer: summary(replays.map((b) => b.answer)).median,
    // Every status the rounds answered: a round refused measures a refusal, which the note shows.
    status: [...new Set(own.map((o) => o.status))].join(', '),
    refused: own.some((o) => o.status >= 400),
  };
}

interface Baselines {
  /** The bare GetItem handler: the init baseline. */
  baseline: Bundle;
  /** The bare SDK replaying the function's own requests: the first-answer baseline. */
  replay?: Bundle;
  proxy?: RecordingProxy;
}

/**
 * Section 3: each function bundle started cold in a fresh Node process,
 * serving a read route of its group (the first one measured in section 1, a
 * write only when the group has no read), in interleaved pairs with the bare
 * GetItem baseline. Two figures per function: module initialisation and the
 * first answer, each the median of the pair ratios. Then where initialisation
 * goes: the route table with every schema, with zod inside and with zod
 * loaded beforehand (the schemas' construction alone).
 */
export async function measureColdInit(
  bundles: Bundle[],
  { baseline, replay }: { baseline: Bundle; replay: Bundle },
  probes: Probe[],
  calls: MeasuredCall[],
  auth: LocalAuth,
  groupsOfRoute: Map<string, string>,
  count: number,
  databasePid?: number,
): Promise<Figure[]> {
  const warm = warmer();
  const proxy = await startRecordingProxy(process.env.DYNAMODB_ENDPOINT ?? '');
  databaseEndpoint = proxy.endpoint;
  const isolated = isolateCore([process.pid, ...(databasePid ? [databasePid] : [])]);
  startCore = isolated?.core;
  try {
    return await measureAll(bundles, { baseline, replay, proxy }, probes, calls, auth, groupsOfRoute, count, warm);
  } finally {
    isolated?.release();
    startCore = undefined;
    databaseEndpoint = process.env.DYNAMODB_ENDPOINT;
    await proxy.close();
  }
}

async function measureAll(
  bundles: Bundle[],
  baselines: Baselines,
  probes: Probe[],
  calls: MeasuredCall[],
  auth: LocalAuth,
  groupsOfRoute: Map<string, string>,
  count: number,
  warm: Warm,
): Promise<Figure[]> {
  const init: Figure[] = [];
  const answer: Figure[] = [];
  const baselineInit: number[] = [];
  const baselineAnswer: number[] = [];
  const baselineTotal: number[] = [];
  for (const bundle of bundles) {
    const ofGroup = calls.filter((call) => groupsOfRoute.get(call.route) === bundle.name);
    const call = ofGroup.find((c) => c.method === 'GET') ?? ofGroup[0];
    if (!call) {
      const missing = { value: Number.NaN, unit: '×', note: 'no measured call for this function' };
      init.push({ section: 'cold init', name: bundle.name, target: { op: '<=', limit: initLimit }, ...missing });
      answer.push({ section: 'first answer', name: bundle.name, target: { op: '<=', limit: answerLimit }, ...missing });
      continue;
    }
    const event = await eventOf(call, auth);
    const measured = await pairs(
      bundle.file,
      async (round) => (call.callOfRound ? eventOf({ ...call, ...(await call.callOfRound(round)) }, auth) : event),
      baselines,
      warm,
      count,
    );
    baselineInit.push(...measured.base.map((b) => b.init));
    baselineAnswer.push(...measured.base.map((b) => b.answer));
    baselineTotal.push(...measured.base.map((b) => b.total));
    const name = `${bundle.name} (${call.route as RouteName})`;
    const ofPairs = `median of ${count} rounds`;
    init.push({
      section: 'cold init',
      name,
      value: measured.init.median,
      unit: '×',
      target: { op: '<=', limit: initLimit },
      spread: measured.init,
      note: `${ms(measured.ownInit)} vs ${ms(measured.baseInit)}; ${ofPairs}, ${spreadNote(measured.init)}; CPU time ${measured.initCpu.median.toFixed(2)}×`,
    });
    answer.push({
      section: 'first answer',
      name,
      // A round that was refused measured the refusal, not the route: the figure fails until every round succeeds.
      value: measured.refused ? Number.NaN : measured.answer.median,
      unit: '×',
      target: { op: '<=', limit: answerLimit },
      spread: measured.answer,
      note: measured.replayed
        ? `${ms(measured.ownAnswer)} vs ${ms(measured.replayAnswer)} (its requests replayed); ${ofPairs}, ${spreadNote(measured.answer)}; answered ${measured.status}; ${measured.answerOfGetItem.median.toFixed(2)}× the GetItem handler's ${ms(measured.baseAnswer)}`
        : `${ms(measured.ownAnswer)} vs ${ms(measured.baseAnswer)} (no database request: the GetItem handler's); ${ofPairs}, ${spreadNote(measured.answer)}; answered ${measured.status}`,
    });
  }

  const where: Figure[] = [];
  for (const probe of probes) {
    const measured = await pairs(probe.file, async () => ({}), { baseline: baselines.baseline }, warm, count, probe.preload);
    const after = probe.preload.length > 0 ? `, imported after ${probe.preload.join(', ')}` : '';
    where.push({
      section: 'cold init',
      name: `where init goes: ${probe.name}`,
      value: measured.init.median,
      unit: '× baseline init',
      spread: measured.init,
      note: `${ms(measured.ownInit)} vs ${ms(measured.baseInit)}; ${(probe.bytes / 1024).toFixed(0)} KiB${after}; median of ${count} rounds, ${spreadNote(measured.init)}; CPU time ${measured.initCpu.median.toFixed(2)}×`,
    });
  }
  const base = { init: summary(baselineInit), answer: summary(baselineAnswer), total: summary(baselineTotal) };
  where.unshift({
    section: 'cold init',
    name: 'baseline (bare GetItem handler)',
    value: base.init.median,
    unit: 'ms',
    note: `module init, median of ${baselineInit.length}; first answer ${ms(base.answer.median)}, process start to answer ${ms(base.total.median)}`,
  });
  return [...init, ...where, ...answer];
}
