import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { defaultMaxBodyBytes, type RouteDefinition } from '#contract/define';
import type { Caller, MemberView } from '#contract/views';
import { functionTimeoutMs, withDeadline } from '#functions/runtime/deadline';
import { metered } from '#functions/table/request-meter';
import { behindGate } from '#functions/table/write-gate';
import { errorMapping } from './error-response';
import { guard } from './guard';
import { idempotency } from './idempotency';
import { identity } from './identity';
import { requestLogging } from './logging';
import {
  type ApiEvent,
  type ApiResult,
  contextWithState,
  json,
  type KernelContext,
  type KernelRequest,
  type KernelState,
} from './request';

export type { ApiEvent, ApiResult } from './request';
export { isDatabaseUnavailable } from './unavailable';

/** Largest JSON body any route accepts; larger bodies are refused before parsing. */
export const maxBodyBytes = defaultMaxBodyBytes;

/** Parsed type of an optional schema: present on a route means present in the handler's input. */
type Infer<T> = NonNullable<T> extends z.ZodMiniType ? z.output<NonNullable<T>> : undefined;

/** What a route's handler receives: parsed input, the caller, and their membership when the route is a workspace route. */
export interface HandlerInput<R extends RouteDefinition, M extends boolean = false> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
  caller: Caller;
  /**
   * The caller's membership of the workspace in the path, for a handler that
   * asks for it (`needsMember`). Otherwise the membership check goes out
   * beside the route's own reads, its writes wait for the check's verdict
   * (table/write-gate.ts), and its answer is used only once the check passed:
   * the caller waits one round trip less.
   */
  member: R['access'] extends { kind: 'member' } ? (M extends true ? MemberView : undefined) : MemberView | undefined;
  /**
   * The membership check itself, on every member route: a handler that
   * decides by the caller's role or function after reading what it changes
   * awaits it only then, so its read and the check share one round trip.
   */
  membership: R['access'] extends { kind: 'member' } ? Promise<MemberView> : undefined;
  now: string;
}

/**
 * Builds the Lambda handler of one route: the route's schemas and access
 * rule come from the route table, so a handler is only its business logic.
 * The pipeline, outermost first: the request log (middy's request hooks),
 * error mapping, identity, guard (path, access, query, body), idempotency,
 * then the route's function. Each step keeps what it learns on the request's
 * own state (request.ts).
 */
export function defineHandler<R extends RouteDefinition, const M extends boolean = false>(
  route: R,
  fn: (input: HandlerInput<R, M>) => Promise<R['response']>,
  options: { needsMember?: M } = {},
) {
  const logging = requestLogging(route);
  // middy types its request hooks with an untyped request: it is this pipeline's.
  const handler = middy<ApiEvent, ApiResult, Error, KernelContext, KernelState>({
    requestStart: (request) => {
      const own = request as unknown as KernelRequest;
      own.context = contextWithState(own.context, own.internal);
      logging.requestStart(own);
    },
    requestEnd: (request) => logging.requestEnd(request as unknown as KernelRequest),
  })
    .use(errorMapping())
    .use(identity(route))
    .use(guard(route, options.needsMember === true))
    .use(idempotency(route))
    .handler(async (_event, context) => {
      const state = context.kernel;
      if (!state) throw new Error('The kernel state did not reach the handler');
      const { caller, member, params, query, body } = state;
      const { membership } = state;
      const input = {
        caller,
        member,
        membership: membership ?? (member ? Promise.resolve(member) : undefined),
        params,
        query,
        body,
        now: new Date().toISOString(),
      } as HandlerInput<R, M>;
      const { claim } = state;
      if (!membership) {
        const replayed = await claim;
        return replayed ?? answer(await fn(input));
      }
      // The route runs beside its membership check and its idempotency claim:
      // its writes wait for both, none leaves when either refuses or an
      // earlier answer is replayed, and a refusal wins over whatever the
      // route found or failed with.
      const gate = claim
        ? Promise.all([membership, claim]).then(([, replayed]) => {
            if (replayed) throw new Error('An earlier answer to this Idempotency-Key is replayed: nothing is written');
          })
        : membership;
      // A route that writes nothing never awaits the gate: its refusal is read below, not left unhandled.
      gate.catch(() => undefined);
      const work = behindGate(gate, () => fn(input));
      work.catch(() => undefined);
      await membership;
      const replayed = await claim;
      return replayed ?? answer(await work);
    });
  const answer = (result: R['response']): ApiResult => {
    if (route.contentType && typeof result === 'string') {
      return {
        statusCode: route.status,
        headers: { 'content-type': route.contentType, 'cache-control': 'no-store' },
        body: result,
      };
    }
    return json(route.status, result);
  };
  // Every retry of the request stays within the time its invocation has left
  // (see deadline.ts); the meter counts its DynamoDB requests for the log.
  const served = async (event: ApiEvent, context: Context): Promise<ApiResult> =>
    withDeadline(context?.getRemainingTimeInMillis?.() ?? functionTimeoutMs, async () => {
      const { result } = await metered(() => handler(event, context as KernelContext));
      return result;
    });
  return Object.assign(served, { route });
}
