import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../functions/lib/http';
import { createRouter } from '../../functions/lib/router';

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
