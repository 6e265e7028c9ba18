import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { returns, route } from '#contract/define';
import { type ApiEvent, defineHandler } from '#functions/kernel/http';
import { answerReserveMs, pauseWithinDeadline, retryWithinDeadline, timeLeftMs, withDeadline } from './deadline';
import { ServiceUnavailable } from './errors';

const conflict = () =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }],
  });
const isConflict = (error: unknown) => error instanceof TransactionCanceledException;
const policy = { retryable: isConflict, busyMessage: 'Busy; retry shortly' };

const probe = route({
  method: 'POST',
  path: '/probe',
  handler: 'probe/post',
  summary: 'test probe',
  access: { kind: 'signedIn' },
  writes: true,
  idempotent: false,
  response: returns<unknown>(),
});

const event = {
  rawPath: '/api/probe',
  headers: {},
  requestContext: { authorizer: { jwt: { claims: { sub: 's-1', email: 'a@b.example', email_verified: 'true' }, scopes: [] } } },
} as unknown as ApiEvent;

describe('one retry policy with a deadline', () => {
  it('answers 503 with Retry-After within a short budget when every attempt conflicts', async () => {
    const budget = 1500;
    let attempts = 0;
    const started = Date.now();
    const outcome = await withDeadline(budget, () =>
      retryWithinDeadline(async () => {
        attempts += 1;
        throw conflict();
      }, policy),
    ).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    expect(outcome).toBeInstanceOf(ServiceUnavailable);
    expect((outcome as ServiceUnavailable).headers).toEqual({ 'retry-after': '1' });
    expect(elapsed).toBeLessThan(budget);
    // It did try again while there was time, and stopped before the reserve to answer.
    expect(attempts).toBeGreaterThan(1);
    expect(elapsed).toBeLessThanOrEqual(budget - answerReserveMs + 50);
  });

  it('takes its budget from the invocation: a handler with little time left answers 503 before its deadline', async () => {
    const remaining = 1200;
    const deadline = Date.now() + remaining;
    let attempts = 0;
    const handler = defineHandler(probe, async () =>
      retryWithinDeadline(async () => {
        attempts += 1;
        throw conflict();
      }, policy),
    );
    const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) } as unknown as Context;
    const response = await handler(event, context);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(String(response.body))).toMatchObject({ error: 'ServiceUnavailable', message: 'Busy; retry shortly' });
    expect(Date.now()).toBeLessThan(deadline);
    expect(attempts).toBeGreaterThan(1);
  });

  it('gives up at once when no time is left, and never on a failure that is not retryable', async () => {
    let attempts = 0;
    await expect(
      withDeadline(answerReserveMs - 1, () =>
        retryWithinDeadline(async () => {
          attempts += 1;
          throw conflict();
        }, policy),
      ),
    ).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(attempts).toBe(1);
    const broken = new TypeError('not a conflict');
    await expect(
      withDeadline(5000, () =>
        retryWithinDeadline(async () => {
          throw broken;
        }, policy),
      ),
    ).rejects.toBe(broken);
    await expect(withDeadline(answerReserveMs, () => pauseWithinDeadline(50, 'Busy'))).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it('answers what the operation answers once a conflict clears, and honours an attempt cap', async () => {
    let attempts = 0;
    const value = await withDeadline(5000, () =>
      retryWithinDeadline(async () => {
        attempts += 1;
        if (attempts < 3) throw conflict();
        return 'written';
      }, policy),
    );
    expect(value).toBe('written');
    expect(attempts).toBe(3);
    let capped = 0;
    await expect(
      withDeadline(5000, () =>
        retryWithinDeadline(
          async () => {
            capped += 1;
            throw conflict();
          },
          { ...policy, maxAttempts: 2 },
        ),
      ),
    ).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(capped).toBe(2);
  });

  it('keeps each request its own deadline, even when requests interleave', async () => {
    const seen = await Promise.all([
      withDeadline(2000, async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return timeLeftMs();
      }),
      withDeadline(8000, async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return timeLeftMs();
      }),
    ]);
    expect(seen[0]).toBeLessThanOrEqual(2000);
    expect(seen[1]).toBeGreaterThan(2000);
  });
});
