import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { promiseCheck } from '#functions/catalogue/promise-check';
import { getMember } from '#functions/workspaces/workspaces';
import { createLocalAuth } from '#scripts/local/local-auth';
import type { TestApi } from '#test/support/api';
import type { Figure } from './report';
import { agreedItem, benchTeam } from './requests';

const repoRoot = resolve(import.meta.dirname, '../..');

function startServerChild(keyFile: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'server-child.ts'), keyFile], {
      cwd: repoRoot,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolvePromise({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Runs `work` from `connections` concurrent loops for `seconds`; answers calls per second and latency percentiles. */
async function closedLoop(work: () => Promise<unknown>, connections: number, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        await work();
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * Section 4: autocannon on the promise check, served by the local server in
 * its own process, against the same DynamoDB requests (the membership GetItem
 * and the check's one BatchGetItem, through the same store functions) issued
 * directly to DynamoDB Local at the same concurrency in the same run. The
 * ratio is how much of the database's own throughput the API keeps.
 */
export async function measureThroughput(api: TestApi, quick: boolean): Promise<Figure[]> {
  const connections = 10;
  const seconds = quick ? 4 : 15;
  const team = await benchTeam(api, 'Throughput Pumps');
  const { itemId } = await agreedItem(team);
  const query = { quantity: 10, leadTimeDays: 15 };
  const path = `/api/workspaces/${team.workspaceId}/catalogue/${itemId}/promise-check?quantity=10&leadTimeDays=15`;

  mkdirSync(join(repoRoot, '.bench'), { recursive: true });
  const keyFile = join(repoRoot, '.bench', 'bench-signing-key.json');
  const auth = await createLocalAuth({ keyFile });
  const { token } = await auth.signIn({ email: team.rep.email, name: 'rita-rep' });
  const { child, port } = await startServerChild(keyFile);
  try {
    const url = `http://127.0.0.1:${port}${path}`;
    const headers = { authorization: `Bearer ${token}` };
    const check = await fetch(url, { headers });
    if (check.status !== 200) throw new Error(`promise check answered ${check.status}: ${await check.text()}`);

    const direct = async () => {
      const member = await getMember(team.workspaceId, team.rep.email);
      if (!member) throw new Error('member missing');
      return promiseCheck(team.workspaceId, itemId, query, new Date().toISOString());
    };
    // Warm both paths (connections, JIT) before measuring.
    await closedLoop(direct, connections, 1);
    await autocannon({ url, connections, duration: 1, headers });

    const raw = await closedLoop(direct, connections, seconds);
    const served = await autocannon({ url, connections, duration: seconds, headers });
    const apiPerSecond = served.requests.average;
    const failures = served.non2xx + served.errors + served.timeouts;
    return [
      {
        section: 'throughput',
        name: 'promise check: API / direct DynamoDB',
        value: apiPerSecond / raw.perSecond,
        unit: '×',
        target: { op: '>=', limit: 0.6 },
        note: `${connections} connections, ${seconds} s each${failures ? `; ${failures} failed calls` : ''}`,
      },
      {
        section: 'throughput',
        name: 'API (local server, own process)',
        value: apiPerSecond,
        unit: 'req/s',
        note: `p50 ${served.latency.p50} ms, p99 ${served.latency.p99} ms`,
      },
      {
        section: 'throughput',
        name: 'direct to DynamoDB Local (same requests)',
        value: raw.perSecond,
        unit: 'calls/s',
        note: `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}
