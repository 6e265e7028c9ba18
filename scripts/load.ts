import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '#scripts/local/dynamo-local';

/**
 * `npm run test:load`: starts the app as `npm start -- --demo` does (its own
 * DynamoDB Local on disk in a temporary folder, on a free loopback port), then
 * drives a mixed read/write workload with autocannon for a fixed time, as a
 * planning team and its reps use the app: the catalogue, promise checks, the
 * issue log and ranking, meetings, and writes. Prints throughput and latency
 * percentiles; fails (exit 1) on any error or any answer that is not 2xx.
 *
 *   npm run test:load                         # 60 s, 16 connections
 *   npm run test:load -- --seconds 20 --connections 8
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.LOAD_SECONDS ?? '60' },
    connections: { type: 'string', default: process.env.LOAD_CONNECTIONS ?? '16' },
  },
});
const seconds = Math.min(600, Math.max(1, Number(values.seconds)));
const connections = Math.min(256, Math.max(1, Number(values.connections)));

const root = resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'accord-load-'));
let app: ChildProcess | undefined;

function cleanUp() {
  app?.kill('SIGINT');
}
process.on('exit', () => {
  app?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function startApp(port: number): Promise<string> {
  const child = spawn(
    process.execPath,
    [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts', '--demo', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  app = child;
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const deadline = Date.now() + 120_000;
  while (!output.includes('Accord is running')) {
    if (child.exitCode !== null) throw new Error(`The app exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The app did not start within 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return `http://127.0.0.1:${port}`;
}

async function main() {
  const base = await startApp(await freePort());
  const signIn = await fetch(`${base}/local/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ingrid.admin@halden.example', name: 'Ingrid Halden' }),
  });
  const { token } = (await signIn.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${base}/api${path}`, { headers })).json()) as T;

  const me = await get<{ workspaces: Array<{ id: string; name: string }> }>('/me');
  const workspaceId = me.workspaces[0]?.id;
  if (!workspaceId) throw new Error('The demo company did not load');
  const ws = `/api/workspaces/${workspaceId}`;
  const catalogue = await get<{ items: Array<{ item: { id: string }; agreed: unknown }> }>(
    `/workspaces/${workspaceId}/catalogue?limit=50`,
  );
  const itemIds = catalogue.items.filter((entry) => entry.agreed).map((entry) => entry.item.id);
  const cycles = await get<{ items: Array<{ id: string }> }>(`/workspaces/${workspaceId}/cycles`);
  const cycleId = cycles.items[0]?.id ?? '';
  if (itemIds.length === 0) throw new Error('The demo company has no agreed thresholds');
  const issues = await get<{ items: Array<{ id: string }> }>(`/workspaces/${workspaceId}/misalignment-issues?limit=1`);
  const issueId = issues.items[0]?.id;
  if (!issueId) throw new Error('The demo company has no misalignment issues');

  let sequence = 0;
  const itemOf = () => itemIds[sequence++ % itemIds.length] ?? '';
  /** The mix, in the order each connection cycles through it: eight reads to two writes. */
  const requests: autocannon.Request[] = [
    { method: 'GET', path: `${ws}/catalogue?limit=20` },
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: `${ws}/catalogue/${itemOf()}/promise-check?quantity=5&leadTimeDays=20` }),
    },
    { method: 'GET', path: `${ws}/misalignment-issues?limit=20` },
    { method: 'GET', setupRequest: (request) => ({ ...request, path: `${ws}/catalogue/${itemOf()}` }) },
    { method: 'GET', path: `${ws}/meetings?limit=20` },
    { method: 'GET', path: `${ws}/cycles/${cycleId}/ranking` },
    {
      method: 'POST',
      setupRequest: (request) => {
        const n = sequence++;
        return {
          ...request,
          path: `${ws}/portfolio-items`,
          body: JSON.stringify({ code: `LD-${n}`, name: `Load item ${n}`, kind: 'product', unit: 'unit' }),
        };
      },
    },
    { method: 'GET', path: `${ws}/portfolio-items?limit=50` },
    { method: 'GET', path: '/api/me' },
    {
      method: 'POST',
      setupRequest: (request) => {
        const n = sequence++;
        return {
          ...request,
          path: `${ws}/misalignment-issues/${issueId}/occurrences`,
          body: JSON.stringify({
            occurredOn: new Date().toISOString().slice(0, 10),
            reference: `Load order ${n}`,
            detectedAt: 'order entry',
            cost: { 'expedite fees': 50 + (n % 400) },
            currency: 'EUR',
          }),
        };
      },
    },
  ];
  // One pass through the mix first, so a request that cannot succeed is named with its answer.
  for (const spec of requests) {
    const setup = spec.setupRequest as ((request: autocannon.Request, context: object) => autocannon.Request) | undefined;
    const request = setup ? setup({ ...spec }, {}) : spec;
    if (!request) continue;
    const response = await fetch(`${base}${request.path}`, { method: request.method, headers, body: request.body as string });
    if (response.status >= 300)
      throw new Error(`${request.method} ${request.path} → ${response.status} ${await response.text()}`);
  }
  console.log(`load: autocannon, ${connections} connections for ${seconds} s against ${base}, the demo company`);

  const failures: string[] = [];
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    headers,
    requests,
    timeout: 30,
  });
  // autocannon reports counts only; sample the first few non-2xx for the log.
  if (result.non2xx > 0) failures.push(`${result.non2xx} answers were not 2xx`);
  if (result.errors > 0) failures.push(`${result.errors} connection errors`);
  if (result.timeouts > 0) failures.push(`${result.timeouts} timeouts`);
  const serverErrors = result['5xx'];
  console.log(
    `load: ${result.requests.total} requests in ${result.duration.toFixed(1)} s = ${result.requests.average.toFixed(1)} req/s; ` +
      `latency ms p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`,
  );
  console.log(
    `load: 2xx ${result['2xx']}, 4xx ${result['4xx']}, 5xx ${serverErrors}, errors ${result.errors}, timeouts ${result.timeouts}`,
  );
  for (const failure of failures) console.log(`  ${failure}`);
  cleanUp();
  await new Promise((r) => setTimeout(r, 1500));
  process.exit(failures.length === 0 && serverErrors === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  cleanUp();
  setTimeout(() => process.exit(1), 1500);
});
