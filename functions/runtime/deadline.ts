import { AsyncLocalStorage } from 'node:async_hooks';
import { ServiceUnavailable } from './errors';

/**
 * The one retry policy of the API. A request runs against a deadline: the
 * time its invocation has left (Lambda's `getRemainingTimeInMillis`; the
 * local server gives each request the same budget as a deployed function).
 * Whatever is tried again (a transaction cancelled by a conflict, a batch
 * with unprocessed keys, a wait for another request's answer) is tried only
 * while an attempt still fits before the deadline, less a reserve to answer;
 * after that the answer is 503 with Retry-After, never a timeout that leaves
 * the caller guessing whether anything was written.
 */

/** Timeout of every API function (infra/api-function.ts); the local server gives each request the same. */
export const functionTimeoutMs = 10_000;

/** Kept back from the deadline to answer: the 503 itself, its logging, middleware that runs after the handler. */
export const answerReserveMs = 750;

const requestDeadline = new AsyncLocalStorage<number>();

/** Runs `fn` with a deadline `remainingMs` from now; every retry inside it stays within it. */
export function withDeadline<T>(remainingMs: number, fn: () => T): T {
  return requestDeadline.run(Date.now() + remainingMs, fn);
}

/**
 * Milliseconds left before the current request must have answered. Outside
 * a request (a script, a migration) the budget is one function timeout from
 * the first retry, so no caller is ever without a bound.
 */
export function timeLeftMs(startedAt = Date.now()): number {
  const deadline = requestDeadline.getStore() ?? startedAt + functionTimeoutMs;
  return deadline - Date.now();
}

export interface RetryPolicy {
  /** Whether a failure may be tried again (it wrote nothing). */
  retryable: (error: unknown) => boolean;
  /** The 503's message when the time is up. */
  busyMessage: string;
  /** Pause after a failed attempt (1 for the first); by default full jitter, doubling from 40 ms up to 1 s. */
  pauseMs?: (attempt: number) => number;
  /** An attempt cap below what the deadline allows, for callers that would rather give up sooner. */
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` until it succeeds, throws something not retryable, or no
 * further attempt fits the deadline: then 503 with Retry-After. Each pause
 * is jittered so that colliding requests spread apart, and a retry is only
 * started when the pause plus the slowest attempt so far still leave the
 * reserve to answer.
 */
export async function retryWithinDeadline<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const startedAt = Date.now();
  const pauseOf = policy.pauseMs ?? ((attempt: number) => Math.random() * Math.min(1000, 20 * 2 ** attempt));
  let slowestAttempt = 0;
  for (let attempt = 1; ; attempt += 1) {
    const attemptStarted = Date.now();
    try {
      return await operation(attempt);
    } catch (error) {
      if (!policy.retryable(error)) throw error;
      slowestAttempt = Math.max(slowestAttempt, Date.now() - attemptStarted);
      const pause = pauseOf(attempt);
      const spare = timeLeftMs(startedAt) - answerReserveMs - pause - slowestAttempt;
      if (spare < 0 || (policy.maxAttempts !== undefined && attempt >= policy.maxAttempts)) {
        throw new ServiceUnavailable(policy.busyMessage, 1);
      }
      await sleep(pause);
    }
  }
}

/** Waits `pauseMs` if that still leaves time to answer before the deadline; else 503 with Retry-After. */
export async function pauseWithinDeadline(pauseMs: number, busyMessage: string, startedAt?: number): Promise<void> {
  if (timeLeftMs(startedAt) - answerReserveMs - pauseMs < 0) throw new ServiceUnavailable(busyMessage, 1);
  await sleep(pauseMs);
}
