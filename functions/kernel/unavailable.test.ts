import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { returns, route } from '#contract/define';
import { type ApiEvent, defineHandler, isDatabaseUnavailable } from './http';

const probe = route({
  method: 'GET',
  path: '/probe',
  handler: 'probe/get',
  summary: 'test probe',
  access: { kind: 'signedIn' },
  writes: false,
  response: returns<unknown>(),
});

const event = {
  rawPath: '/api/probe',
  headers: {},
  requestContext: { authorizer: { jwt: { claims: { sub: 's-1', email: 'a@b.example', email_verified: 'true' }, scopes: [] } } },
} as unknown as ApiEvent;

const failingWith = (error: unknown) =>
  defineHandler(probe, async () => {
    throw error;
  })(event, {} as Context);

const meta = { $metadata: {} };

describe('database trouble', () => {
  it('answers throttling with 503, a JSON error and Retry-After', async () => {
    const response = await failingWith(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta }));
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
    expect(JSON.parse(String(response.body))).toMatchObject({ error: 'ServiceUnavailable' });
  });

  it('sees an unreachable database through wrapping errors', async () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('export failed', { cause: socket }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([socket]))).toBe(true);
    expect((await failingWith(new Error('wrapped', { cause: socket }))).statusCode).toBe(503);
  });

  it('treats a transaction that kept colliding as busy, but a failed condition as not', async () => {
    const conflict = new TransactionCanceledException({
      message: 'cancelled',
      ...meta,
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    expect(isDatabaseUnavailable(conflict)).toBe(true);
    const condition = new TransactionCanceledException({
      message: 'cancelled',
      ...meta,
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
    });
    expect(isDatabaseUnavailable(condition)).toBe(false);
  });

  it('keeps a programming error a 500 without details', async () => {
    const response = await failingWith(new TypeError('x is undefined'));
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(String(response.body))).toEqual({ error: 'InternalError', message: 'Something went wrong on our side' });
  });
});
