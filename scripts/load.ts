import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './local/dynamo-local';

/**
 * `npm run test:load`: starts the app as `npm start` does (its own DynamoDB
 * Local on disk in a temporary folder, on a free loopback port), then runs a
 * mixed read/write workload against it for a fixed time with a bounded
 * number of connections, and prints throughput and latency percentiles.
 * Fails (exit 1) on any error or any answer other than the expected 2xx.
 *
 *   npm run test:load                         # 60 s, 16 connections
 *   npm run test:load -- --seconds 20 --connections 8
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.LOAD_SECONDS ?? '60' },
    connections: { type: 'string', default: process.env.LOAD_CONNECTIONS ?? '16' },
    workspaces: { type: 'string', default: '8' },
  },
});
const seconds = Math.min(600, Math.max(1, Number(values.seconds)));
const connections = Math.min(256, Math.max(1, Number(values.connections)));
const workspaceCount = Math.max(1, Number(values.workspaces));

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
    [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts', '--port', String(port), '--data-dir', dataDir],
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

interface Result {
  status: number;
  ms: number;
  kind: string;
}

async function main() {
  const base = await startApp(await freePort());
  const signIn = async (email: string) => {
    const response = await fetch(`${base}/local/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: email.split('@')[0] }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  const adminToken = await signIn('load.admin@load.example');
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${base}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, text };
  };

  const workspaces: string[] = [];
  for (let i = 0; i < workspaceCount; i++) {
    const created = await call('POST', '/workspaces', adminToken, { name: `Load ${i}` });
    workspaces.push((JSON.parse(created.text) as { id: string }).id);
  }
  console.log(`load: ${connections} connections for ${seconds} s against ${base}, ${workspaceCount} workspaces`);

  let sequence = 0;
  const results: Result[] = [];
  const failures: string[] = [];
  const deadline = Date.now() + seconds * 1000;

  /** One request of the mix: mostly reads, as a planning team and its reps use the app; about a fifth writes. */
  async function one(worker: number) {
    const n = sequence++;
    const workspaceId = workspaces[n % workspaces.length] ?? '';
    const pick = n % 10;
    const [kind, method, path, body, expected] =
      pick < 3
        ? ['list items', 'GET', `/workspaces/${workspaceId}/portfolio-items?limit=50`, undefined, 200]
        : pick < 5
          ? ['read workspace', 'GET', `/workspaces/${workspaceId}`, undefined, 200]
          : pick < 6
            ? ['list members', 'GET', `/workspaces/${workspaceId}/members`, undefined, 200]
            : pick < 7
              ? ['audit', 'GET', `/workspaces/${workspaceId}/audit-events?limit=20`, undefined, 200]
              : pick < 8
                ? ['me', 'GET', '/me', undefined, 200]
                : pick < 9
                  ? [
                      'create item',
                      'POST',
                      `/workspaces/${workspaceId}/portfolio-items`,
                      { code: `LD-${worker}-${n}`, name: `Load item ${n}`, kind: 'product', unit: 'unit' },
                      201,
                    ]
                  : [
                      'invite member',
                      'POST',
                      `/workspaces/${workspaceId}/members`,
                      { email: `m${n}@load.example`, function: 'sales', role: 'rep' },
                      201,
                    ];
    try {
      const response = await call(method, path, adminToken, body);
      results.push({ status: response.status, ms: response.ms, kind });
      if (response.status !== expected)
        failures.push(`${kind} ${method} ${path} → ${response.status} ${response.text.slice(0, 200)}`);
    } catch (error) {
      results.push({ status: 0, ms: 0, kind });
      failures.push(`${kind} ${method} ${path} → ${(error as Error).message}`);
    }
  }

  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      while (Date.now() < deadline) await one(worker);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;

  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const byKind: Record<string, number> = {};
  for (const r of results) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  const serverErrors = results.filter((r) => r.status >= 500 || r.status === 0).length;
  console.log(
    `load: ${results.length} requests in ${elapsed.toFixed(1)} s = ${(results.length / elapsed).toFixed(1)} req/s; ` +
      `latency ms p50 ${percentile(50).toFixed(1)}, p90 ${percentile(90).toFixed(1)}, p99 ${percentile(99).toFixed(1)}, max ${(latencies.at(-1) ?? 0).toFixed(1)}`,
  );
  console.log(`load: statuses ${JSON.stringify(statuses)}; mix ${JSON.stringify(byKind)}`);
  console.log(`load: errors ${failures.length}, 5xx ${serverErrors}`);
  for (const failure of failures.slice(0, 10)) console.log(`  ${failure}`);
  cleanUp();
  await new Promise((r) => setTimeout(r, 1500));
  process.exit(failures.length === 0 && serverErrors === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  cleanUp();
  setTimeout(() => process.exit(1), 1500);
});
