import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from './http';
import { createRouter, originVerifyEnv, originVerifyHeader } from './router';

const eventFor = (routeKey: string) => ({ routeKey }) as ApiEvent;
const context = {} as Context;

describe('createRouter', () => {
  it('calls the handler of the event’s route key, loading only that one', async () => {
    const loaded: string[] = [];
    const router = createRouter({
      'GET /api/a': async () => {
        loaded.push('a');
        return { handler: async () => ({ statusCode: 200, body: 'a' }) };
      },
      'POST /api/b': async () => {
        loaded.push('b');
        return { handler: async () => ({ statusCode: 201, body: 'b' }) };
      },
    });
    await expect(router(eventFor('POST /api/b'), context)).resolves.toEqual({ statusCode: 201, body: 'b' });
    expect(loaded).toEqual(['b']);
  });

  it('answers 404 with the error body shape for a route key it does not serve', async () => {
    const router = createRouter({});
    const result = await router(eventFor('GET /api/missing'), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(String(result.body))).toMatchObject({ error: 'NotFound' });
  });
});

describe('createRouter behind CloudFront', () => {
  const secret = 'k3JbR9cQ2xVt8mWz4nLp6sYh0dFg5aUe';
  const served: string[] = [];
  const loaders = {
    'GET /api/a': async () => ({
      handler: async () => {
        served.push('a');
        return { statusCode: 200, body: 'a' };
      },
    }),
  };
  const apiEvent = (headers: Record<string, string>) =>
    ({ routeKey: 'GET /api/a', headers, requestContext: { apiId: 'abc123' } }) as unknown as ApiEvent;
  afterEach(() => {
    delete process.env[originVerifyEnv];
    served.length = 0;
  });

  it('refuses with 403 a request that reached the API without CloudFront’s header, or with a wrong one, before any handler', async () => {
    process.env[originVerifyEnv] = secret;
    const router = createRouter(loaders);
    const attempts: Array<Record<string, string>> = [
      {},
      { [originVerifyHeader]: '' },
      { [originVerifyHeader]: `${secret}x` },
      { [originVerifyHeader]: secret.slice(1) },
      { [originVerifyHeader.toUpperCase()]: secret },
    ];
    for (const headers of attempts) {
      const result = await router(apiEvent(headers), context);
      expect(result.statusCode, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(String(result.body))).toMatchObject({ error: 'Forbidden' });
    }
    expect(served).toEqual([]);
  });

  it('serves a request carrying CloudFront’s header', async () => {
    process.env[originVerifyEnv] = secret;
    const result = await createRouter(loaders)(apiEvent({ [originVerifyHeader]: secret }), context);
    expect(result).toEqual({ statusCode: 200, body: 'a' });
    expect(served).toEqual(['a']);
  });

  it('accepts the previous value beside the current one during a rotation, and nothing else', async () => {
    const previous = 'Pq7LmN2vX9cR4tYw8zK1sD6fG3hJ5bVa';
    process.env[originVerifyEnv] = `${secret} ${previous}`;
    const router = createRouter(loaders);
    expect((await router(apiEvent({ [originVerifyHeader]: secret }), context)).statusCode).toBe(200);
    expect((await router(apiEvent({ [originVerifyHeader]: previous }), context)).statusCode).toBe(200);
    for (const sent of ['', ' ', `${secret} ${previous}`, `${secret} `, 'other']) {
      expect((await router(apiEvent({ [originVerifyHeader]: sent }), context)).statusCode, JSON.stringify(sent)).toBe(403);
    }
  });

  it('serves a direct invocation (no API in the request context), such as the readiness probe', async () => {
    process.env[originVerifyEnv] = secret;
    const result = await createRouter(loaders)({ routeKey: 'GET /api/a', headers: {} } as unknown as ApiEvent, context);
    expect(result.statusCode).toBe(200);
  });

  it('checks nothing when no value is configured, as on the local server', async () => {
    const result = await createRouter(loaders)(apiEvent({}), context);
    expect(result.statusCode).toBe(200);
  });
});
