import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { RouteDefinition } from '#contract/define';
import { answerReserveMs, timeLeftMs } from '#functions/runtime/deadline';
import { Conflict, IdempotencyKeyReused, ValidationFailed } from '#functions/runtime/errors';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyScope,
  readIdempotencyRecord,
  releaseIdempotencyKey,
  type StoredResponse,
} from '#functions/table/idempotency';
import { log } from './logger';
import {
  type ApiEvent,
  type ApiResult,
  type KernelContext,
  type KernelRequest,
  type KernelState,
  workspaceIdOf,
} from './request';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** How long a retry waits for the first request with its key to finish before answering 409, within the request's deadline. */
const inProgressWaitMs = 10_000;

const replay = (stored: StoredResponse): ApiResult => ({
  ...stored,
  headers: { ...stored.headers, 'idempotency-replayed': 'true' },
});

/** Claims the key, or answers the first request's stored response; waits while the first request still runs. */
async function claimOrReplay(scope: IdempotencyScope, payloadHash: string): Promise<ApiResult | undefined> {
  const deadline = Date.now() + Math.min(inProgressWaitMs, timeLeftMs() - answerReserveMs - 200);
  for (;;) {
    const existing = await claimIdempotencyKey(scope, payloadHash);
    if (!existing) return undefined;
    if (existing.payloadHash !== payloadHash) {
      throw new IdempotencyKeyReused(
        'This Idempotency-Key was already used with a different request; use a new key for a new request',
      );
    }
    if (existing.status === 'COMPLETED' && existing.response) return replay(existing.response);
    // The first request with this key is still running: wait for its answer.
    for (;;) {
      if (Date.now() > deadline) {
        throw new Conflict('A request with this Idempotency-Key is still in progress; retry shortly', undefined, {
          'retry-after': '1',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
      const current = await readIdempotencyRecord(scope);
      if (!current) break; // the first request failed and let go of the key: try to claim it
      if (current.payloadHash !== payloadHash) break;
      if (current.status === 'COMPLETED' && current.response) return replay(current.response);
    }
  }
}

/**
 * `Idempotency-Key` on creates: the first request with a key runs and its
 * answer is stored; a retry with the same key and the same input gets that
 * answer again and writes nothing; the same key with other input is a 422.
 * Keys are scoped to the caller, the route and the path, so one person's key
 * can never replay another's answer. Runs after the guard: a refused request
 * never claims a key.
 */
export function idempotency(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult, Error, KernelContext, KernelState> {
  const enabled = route.idempotent ?? route.method === 'POST';
  return {
    before: async (request: KernelRequest) => {
      const key = request.event.headers?.['idempotency-key'];
      if (!enabled || key === undefined) return undefined;
      // A refused request never claims a key: the claim waits for the membership check.
      await request.internal.membership;
      if (!idempotencyKeyPattern.test(key)) {
        throw new ValidationFailed([{ field: 'header.idempotency-key', message: 'must be 1–255 printable ASCII characters' }]);
      }
      const state = request.internal;
      const callerSub = state.caller?.sub ?? 'anonymous';
      const scope: IdempotencyScope = {
        workspaceId: workspaceIdOf(state.params),
        callerSub,
        keyHash: sha256([callerSub, route.method, route.path, request.event.rawPath, key]),
      };
      const payloadHash = sha256({ query: state.query ?? null, body: state.body ?? null });
      const replayed = await claimOrReplay(scope, payloadHash);
      if (!replayed) state.idempotency = scope;
      return replayed;
    },
    after: async (request: KernelRequest) => {
      const scope = request.internal.idempotency;
      const response = request.response;
      if (!scope || !response) return;
      const statusCode = response.statusCode ?? 200;
      try {
        if (statusCode >= 200 && statusCode < 300) {
          await completeIdempotencyKey(scope, {
            statusCode,
            headers: response.headers ?? {},
            body: typeof response.body === 'string' ? response.body : '',
          });
        } else {
          await releaseIdempotencyKey(scope);
        }
      } catch (error) {
        // The change is written; failing the request now would invite a retry
        // that repeats it. The key stays in progress until it times out.
        log.error('Could not store the idempotent answer', error, { apiRequestId: request.event.requestContext?.requestId });
      }
    },
    onError: async (request: KernelRequest) => {
      const scope = request.internal.idempotency;
      if (!scope) return;
      request.internal.idempotency = undefined;
      await releaseIdempotencyKey(scope).catch(() => undefined);
    },
  };
}
