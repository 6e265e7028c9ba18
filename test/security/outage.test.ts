import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '#scripts/local/local-auth';
import { NotReady, serve } from '#scripts/local/serve';
import { type ApiResponse, type Person, startApi, type TestApi } from '#test/support/api';
import { type OwnEngine, startOwnEngine, useEngine } from '#test/support/own-engine';

/**
 * The API with its database gone, frozen and back: it answers 503 with a JSON
 * error and Retry-After within a short bound, and serves again by itself.
 */
let engine: OwnEngine;
let restoreEnv: () => void;
let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  engine = await startOwnEngine();
  restoreEnv = useEngine(engine);
  api = await startApi();
  admin = await api.person('outage-admin');
  const created = await admin.call('createWorkspace', { body: { name: 'Outage Pumps' } });
  expect(created.status).toBe(201);
  workspaceId = created.body.id;
  // A SIGKILL can make DynamoDB Local drop writes it acknowledged moments
  // earlier; a clean stop and start first puts the workspace on disk, so what
  // this suite checks after the crash is the API's recovery, not the engine's.
  await engine.kill('SIGTERM');
  await engine.restart();
}, 60_000);
afterAll(async () => {
  await api?.close();
  await engine?.stop();
  restoreEnv?.();
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

const newItem = (code: string) => ({ code, name: `Item ${code}`, kind: 'product' as const, unit: 'unit' });

function expectUnavailable(response: { status: number; headers: Headers; body: any }, label: string) {
  expect(response.status, label).toBe(503);
  expect(response.body, label).toMatchObject({ error: 'ServiceUnavailable', message: expect.any(String) });
  expect(Number(response.headers.get('retry-after')), label).toBeGreaterThan(0);
  expect(response.headers.get('content-type'), label).toMatch(/application\/json/);
}

describe('when the database is away', () => {
  it('answers 503 with Retry-After quickly while it is down, and recovers without a restart of the API', async () => {
    await engine.kill();
    const figures: string[] = [];
    const calls: Array<readonly [string, () => Promise<ApiResponse<unknown>>]> = [
      ['read', () => admin.call('getWorkspace', { params: { workspaceId } })],
      ['list', () => admin.call('listPortfolioItems', { params: { workspaceId } })],
      ['create', () => admin.call('createPortfolioItem', { params: { workspaceId }, body: newItem('DOWN-1') })],
      ['me', () => admin.call('getMe')],
    ];
    for (const [label, call] of calls) {
      const { result, ms } = await timed(call);
      expectUnavailable(result, label);
      expect(ms, label).toBeLessThan(5_000);
      figures.push(`${label} ${Math.round(ms)} ms`);
    }
    expect((await api.raw('GET', '/api/health')).status).toBe(200);

    await engine.restart();
    const back = await timed(() => admin.call('getWorkspace', { params: { workspaceId } }));
    expect(back.result.status).toBe(200);
    expect(back.result.body.name).toBe('Outage Pumps');
    const created = await admin.call('createPortfolioItem', { params: { workspaceId }, body: newItem('UP-1') });
    expect(created.status).toBe(201);
    const codes = (await admin.call('listPortfolioItems', { params: { workspaceId } })).body.items.map(
      (i: { code: string }) => i.code,
    );
    expect(codes).toEqual(['UP-1']);
    console.log(`outage (engine killed): 503 in ${figures.join(', ')}; first answer after restart in ${Math.round(back.ms)} ms`);
  }, 60_000);

  it('does not hang when the database stops answering: 503 within the SDK timeout, then recovers', async () => {
    engine.pause();
    let response: Awaited<ReturnType<Person['get']>>;
    let ms: number;
    try {
      ({ result: response, ms } = await timed(() => admin.call('getWorkspace', { params: { workspaceId } })));
    } finally {
      engine.resume();
    }
    expectUnavailable(response, 'frozen read');
    expect(ms).toBeLessThan(12_000);
    const back = await admin.call('getWorkspace', { params: { workspaceId } });
    expect(back.status).toBe(200);
    console.log(`outage (engine frozen): 503 after ${Math.round(ms)} ms; recovered with ${back.status}`);
  }, 60_000);

  it('reports not ready (503) while the database is away and ready again after, while liveness stays a constant 200', async () => {
    expect((await api.raw('GET', '/api/ready')).body).toEqual({ status: 'ready', database: 'ok' });
    await engine.kill();
    try {
      const ready = await api.raw('GET', '/api/ready');
      expectUnavailable(ready, 'readiness');
      expect((await api.raw('GET', '/api/health')).body).toEqual({ status: 'ok' });
      // npm start waits on readiness: with the database away it never says it is running.
      const auth = await createLocalAuth();
      await expect(serve({ auth, port: 0, readyTimeoutMs: 1_500 })).rejects.toBeInstanceOf(NotReady);
    } finally {
      await engine.restart();
    }
    expect((await api.raw('GET', '/api/ready')).status).toBe(200);
    const started = await serve({ auth: await createLocalAuth(), port: 0 });
    await new Promise((resolve) => started.server.close(resolve));
  }, 60_000);
});
