import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { RouteDefinition } from '#contract/define';
import { answerReserveMs, timeLeftMs } from '#functions/runtime/deadline';
import { Conflict, IdempotencyKeyReused, ValidationFailed } from '#functions/runtime/errors';
import {
  claimIdempotencyKey,
  claimIdempotencyKeyAsMember,
  completeIdempotencyKey,
  type IdempotencyRecord,
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

/**
 * Claims the key, or answers the first request's stored response; waits while
 * the first request still runs. `first` is a claim already made (or the record
 * it found held), tried before the usual claim.
 */
async function claimOrReplay(
  scope: IdempotencyScope,
  payloadHash: string,
  first?: IdempotencyRecord | null,
): Promise<ApiResult | undefined> {
  const deadline = Date.now() + Math.min(inProgressWaitMs, timeLeftMs() - answerReserveMs - 200);
  let found = first;
  for (;;) {
    const existing = found === undefined ? await claimIdempotencyKey(scope, payloadHash) : found;
    found = undefined;
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
 * can never replay another's answer. A refused request never claims a key.
 *
 * The claim does not hold the route back: it is made while the route reads
 * (`state.claim`), and only the route's writes and its answer wait for it
 * (defineHandler). A person's claim on a member route goes out in the same
 * round trip as the membership check, guarded by the member item (see
 * `claimIdempotencyKeyAsMember`); any other claim waits for the check.
 */
export function idempotency(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult, Error, KernelContext, KernelState> {
  const enabled = route.idempotent ?? route.method === 'POST';
  return {
    before: async (request: KernelRequest) => {
      const key = request.event.headers?.['idempotency-key'];
      if (!enabled || key === undefined) return undefined;
      const state = request.internal;
      if (!idempotencyKeyPattern.test(key)) {
        // Access first: a caller who may not use the route learns nothing from the header's error.
        await state.membership;
        throw new ValidationFailed([{ field: 'header.idempotency-key', message: 'must be 1–255 printable ASCII characters' }]);
      }
      const callerSub = state.caller?.sub ?? 'anonymous';
      const workspaceId = workspaceIdOf(state.params);
      const scope: IdempotencyScope = {
        workspaceId,
        callerSub,
        keyHash: sha256([callerSub, route.method, route.path, request.event.rawPath, key]),
      };
      const payloadHash = sha256({ query: state.query ?? null, body: state.body ?? null });
      const membership = state.membership ?? Promise.resolve(state.member);
      const access = route.access;
      const caller = state.caller;
      const asMember =
        access.kind === 'member' && workspaceId && caller && !state.apiKey && state.membership
          ? { workspaceId, email: caller.email, sub: caller.sub, roles: access.roles, functions: access.functions }
          : undefined;
      const claim = (async (): Promise<ApiResult | undefined> => {
        let first: IdempotencyRecord | null | undefined;
        if (asMember) {
          const early = await claimIdempotencyKeyAsMember(scope, payloadHash, asMember);
          // Held from here on, so a refusal that still comes releases it (onError).
          if ('claimed' in early) state.idempotency = scope;
          first = 'claimed' in early ? null : 'held' in early ? early.held : undefined;
        }
        await membership;
        if (first === null) return undefined;
        const replayed = await claimOrReplay(scope, payloadHash, first);
        if (!replayed) state.idempotency = scope;
        return replayed;
      })();
      claim.catch(() => undefined);
      state.claim = claim;
      return undefined;
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
      // A claim still on its way when the request failed is released once it lands.
      await request.internal.claim?.catch(() => undefined);
      const scope = request.internal.idempotency;
      if (!scope) return;
      request.internal.idempotency = undefined;
      await releaseIdempotencyKey(scope).catch(() => undefined);
    },
  };
}
