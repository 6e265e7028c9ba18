import type { Request } from '@middy/core';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayEventRequestContextV2WithAuthorizer,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { Caller, MemberView } from '#contract/views';
import type { KeyContext } from '#functions/access/key-context';
import { isRecord } from '#functions/runtime/guards';
import type { IdempotencyScope } from '#functions/table/idempotency';

/**
 * What an authorizer hands over: the JWT authorizer's claims on the routes
 * people call, the API key authorizer's context (`lambda`) on the machine
 * routes (contract/machine.ts).
 */
export type ApiAuthorizer = Omit<APIGatewayEventRequestContextJWTAuthorizer, 'jwt'> & {
  jwt?: APIGatewayEventRequestContextJWTAuthorizer['jwt'];
  lambda?: Record<string, unknown>;
};

export type ApiEvent = APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2WithAuthorizer<ApiAuthorizer>>;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/**
 * What the middlewares learn about one request, in the order they learn it,
 * kept on the middy request (`request.internal`) so each request carries its
 * own and nothing outlives it.
 */
export type KernelState = {
  /** When the pipeline started, for the request log. */
  startedAt?: number;
  /** The verified identity; set on every route that is not public. */
  caller?: Caller;
  /** The API key a machine caller sent, as its verification described it (machine routes only). */
  apiKey?: KeyContext;
  /** The caller's membership of the workspace in the path, for a handler that needs it. */
  member?: MemberView;
  /** The membership check running beside the route's own work; rejects with its refusal. */
  membership?: Promise<MemberView>;
  params?: unknown;
  query?: unknown;
  body?: unknown;
  /** The idempotency key this request claimed, to complete or release afterwards. */
  idempotency?: IdempotencyScope;
  /**
   * The claim of the request's idempotency key, running beside the route's
   * reads: the stored answer of an earlier request with the key, or undefined
   * once this request holds the key. The route's writes wait for it.
   */
  claim?: Promise<ApiResult | undefined>;
  /** The error a response was mapped from, for the request log. */
  error?: unknown;
};

/** The workspace in a request's path parameters, when the route has one. */
export const workspaceIdOf = (params: unknown): string | undefined =>
  isRecord(params) && typeof params.workspaceId === 'string' ? params.workspaceId : undefined;

export type KernelRequest = Request<ApiEvent, ApiResult, Error, KernelContext, KernelState>;

/**
 * Middy calls the handler with the event and context only, so the state
 * reaches the route's function on a context of its own request, derived from
 * the invocation's (which it keeps as prototype: the remaining time, the ids).
 */
export type KernelContext = Context & { readonly kernel?: KernelState };

export function contextWithState(context: Context | undefined, state: KernelState): KernelContext {
  return Object.create(context ?? null, { kernel: { value: state, enumerable: false } });
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});
