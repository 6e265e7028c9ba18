import { createHash } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { defaultMaxBodyBytes, type RouteDefinition } from '#contract/define';
import type { Caller, MemberView } from '#contract/views';
import { accessRefusal, normaliseEmail } from '#contract/workspaces/members';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyScope,
  readIdempotencyRecord,
  releaseIdempotencyKey,
  type StoredResponse,
} from '#functions/table/idempotency';
import { getMemberFor } from '#functions/workspaces/workspaces';
import { answerReserveMs, functionTimeoutMs, timeLeftMs, withDeadline } from './deadline';
import {
  BadRequest,
  Conflict,
  type FieldProblem,
  Forbidden,
  HttpError,
  IdempotencyKeyReused,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from './errors';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** Largest JSON body any route accepts; larger bodies are refused before parsing. */
export const maxBodyBytes = defaultMaxBodyBytes;

/** Parsed type of an optional schema: present on a route means present in the handler's input. */
type Infer<T> = NonNullable<T> extends z.ZodMiniType ? z.output<NonNullable<T>> : undefined;

/** What a route's handler receives: parsed input, the caller, and their membership when the route is a workspace route. */
export interface HandlerInput<R extends RouteDefinition> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
  caller: Caller;
  /** The caller's membership of the workspace in the path; set on every `member` route. */
  member: R['access'] extends { kind: 'member' } ? MemberView : MemberView | undefined;
  now: string;
}

/** What the guard established about a request, handed to the handler function. */
const guarded = new WeakMap<ApiEvent, State>();

interface State {
  caller?: Caller;
  member?: MemberView;
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/** SDK failures that mean "the database is away or busy": worth a retry, not a 500. */
const unavailableErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether an error, or any error it wraps, says the database is unreachable,
 * throttling or too busy. Wrapped causes matter: the SDK and our own helpers
 * rethrow with the socket error underneath.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: string }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (unavailableErrors.has(error.name) || (code !== undefined && unavailableCodes.has(code))) return true;
  if (status === 503 || (error as { $retryable?: { throttling?: boolean } }).$retryable?.throttling) return true;
  if (/ECONNREFUSED|ECONNRESET|socket hang up|connect ETIMEDOUT|timed out|Transaction is ongoing/i.test(error.message))
    return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
    if (reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError')) return true;
  }
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** Maps every error to `{ error, message, details? }` once, for all routes. */
function errorMapper(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: (request) => {
      let error = request.error;
      if (!(error instanceof HttpError) && isDatabaseUnavailable(error)) {
        error = new ServiceUnavailable('The database is unavailable; retry shortly');
      }
      if (error instanceof HttpError) {
        const body: Record<string, unknown> = { error: error.name, message: error.message };
        if (error.details !== undefined) body.details = error.details;
        request.response = json(error.status, body, error.headers);
        return;
      }
      console.error(JSON.stringify({ level: 'error', message: 'Unhandled error', error: String(error), stack: error?.stack }));
      request.response = json(500, { error: 'InternalError', message: 'Something went wrong on our side' });
    },
  };
}

function callerFrom(event: ApiEvent): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const email = typeof claims?.email === 'string' ? normaliseEmail(claims.email) : undefined;
  const sub = typeof claims?.sub === 'string' ? claims.sub : undefined;
  if (!email || !sub) throw new Unauthorized('Sign in first: no verified identity on this request');
  // API Gateway hands every claim over as a string. An unverified address is
  // one anybody could have typed, and email is what invitations go to.
  const verified = claims?.email_verified;
  if (verified !== true && verified !== 'true') throw new Unauthorized('Verify your email address, then sign in again');
  const name = typeof claims?.name === 'string' && claims.name !== '' ? claims.name : email;
  return { sub, email, name };
}

function problemsOf(where: string, error: z.core.$ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'is not a known field' }));
    }
    return [{ field: base, message: issue.message }];
  });
}

function parseBody(event: ApiEvent, limit: number): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > limit) {
    throw new PayloadTooLarge(`Request body exceeds the limit of ${limit} bytes`, { limit: 'bodyBytes', max: limit });
  }
  const contentType = event.headers?.['content-type'] ?? '';
  if (text !== '' && !/^application\/json\b/i.test(contentType)) {
    throw new UnsupportedMediaType('Send the body as application/json');
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`Malformed JSON body: ${(error as Error).message}`);
  }
}

function validator(problems: FieldProblem[]) {
  return (where: string, schema: z.ZodMiniType | undefined, value: unknown) => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(...problemsOf(where, result.error));
    return undefined;
  };
}

/**
 * Identity, path, access, then input, in that order: a request that fails one
 * never reaches the next. Access comes before the query and body are read, so
 * a caller who may not use a route learns nothing about its input from the
 * validation errors, and no unauthorised body is ever parsed.
 */
function routeGuard(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: async (request) => {
      const state: State = {};
      guarded.set(request.event, state);
      const { event } = request;
      if (route.access.kind !== 'public') state.caller = callerFrom(event);

      const pathProblems: FieldProblem[] = [];
      state.params = validator(pathProblems)('path', route.params, event.pathParameters ?? {});
      if (pathProblems.length > 0) throw new ValidationFailed(pathProblems);

      if (route.access.kind === 'member' && state.caller) {
        const workspaceId = (state.params as { workspaceId?: string } | undefined)?.workspaceId;
        if (!workspaceId) throw new Error(`Route ${route.path} is a member route without {workspaceId}`);
        const member = await getMemberFor(workspaceId, state.caller);
        // Not a member and no such workspace look the same, so ids of other
        // companies' workspaces reveal nothing; nor does a membership bound
        // to another identity with the same email.
        if (!member) throw new NotFound('Workspace not found');
        const refusal = accessRefusal(route.access, member);
        if (refusal) throw new Forbidden(refusal);
        state.member = member;
      }

      const problems: FieldProblem[] = [];
      const check = validator(problems);
      const queryParameters = event.queryStringParameters ?? {};
      if (!route.query && Object.keys(queryParameters).length > 0) {
        throw new BadRequest('This route takes no query parameters');
      }
      state.query = check('query', route.query, queryParameters);
      if (route.body) {
        state.body = check('body', route.body, parseBody(event, route.maxBodyBytes ?? maxBodyBytes));
      } else if (event.body !== undefined && event.body !== '') {
        throw new BadRequest('This route takes no body');
      }
      if (problems.length > 0) throw new ValidationFailed(problems);
    },
  };
}

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** How long a retry waits for the first request with its key to finish before answering 409, within the request's deadline. */
const inProgressWaitMs = 10_000;

/**
 * `Idempotency-Key` on creates: the first request with a key runs and its
 * answer is stored; a retry with the same key and the same input gets that
 * answer again and writes nothing; the same key with other input is a 422.
 * Keys are scoped to the caller, the route and the path, so one person's key
 * can never replay another's answer. Runs after the guard: a refused request
 * never claims a key.
 */
function idempotency(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult> {
  const claimed = new WeakMap<ApiEvent, IdempotencyScope>();
  const replay = (stored: StoredResponse): ApiResult => ({
    ...stored,
    headers: { ...stored.headers, 'idempotency-replayed': 'true' },
  });
  const enabled = route.idempotent ?? route.method === 'POST';
  return {
    before: async (request) => {
      const key = request.event.headers?.['idempotency-key'];
      if (!enabled || key === undefined) return undefined;
      if (!idempotencyKeyPattern.test(key)) {
        throw new ValidationFailed([{ field: 'header.idempotency-key', message: 'must be 1–255 printable ASCII characters' }]);
      }
      const state = guarded.get(request.event);
      const callerSub = state?.caller?.sub ?? 'anonymous';
      const scope: IdempotencyScope = {
        workspaceId: (state?.params as { workspaceId?: string } | undefined)?.workspaceId,
        callerSub,
        keyHash: sha256([callerSub, route.method, route.path, request.event.rawPath, key]),
      };
      const payloadHash = sha256({ query: state?.query ?? null, body: state?.body ?? null });
      const deadline = Date.now() + Math.min(inProgressWaitMs, timeLeftMs() - answerReserveMs - 200);
      for (;;) {
        const existing = await claimIdempotencyKey(scope, payloadHash);
        if (!existing) {
          claimed.set(request.event, scope);
          return undefined;
        }
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
    },
    after: async (request) => {
      const scope = claimed.get(request.event);
      const response = request.response;
      if (!scope || !response) return;
      const statusCode = response.statusCode ?? 200;
      try {
        if (statusCode >= 200 && statusCode < 300) {
          await completeIdempotencyKey(scope, {
            statusCode,
            headers: (response.headers ?? {}) as Record<string, string>,
            body: typeof response.body === 'string' ? response.body : '',
          });
        } else {
          await releaseIdempotencyKey(scope);
        }
      } catch (error) {
        // The change is written; failing the request now would invite a retry
        // that repeats it. The key stays in progress until it times out.
        console.error(JSON.stringify({ level: 'warn', message: 'Could not store the idempotent answer', error: String(error) }));
      }
    },
    onError: async (request) => {
      const scope = claimed.get(request.event);
      if (!scope) return;
      claimed.delete(request.event);
      await releaseIdempotencyKey(scope).catch(() => undefined);
    },
  };
}

/**
 * Builds the Lambda handler of one route: the route's schemas and access
 * rule come from the route table, so a handler is only its business logic.
 */
export function defineHandler<R extends RouteDefinition>(route: R, fn: (input: HandlerInput<R>) => Promise<R['response']>) {
  const handler = middy<ApiEvent, ApiResult, Error, Context>()
    .use(errorMapper())
    .use(routeGuard(route))
    .use(idempotency(route))
    .handler(async (event) => {
      const state = guarded.get(event);
      if (!state) throw new Error('Route guard did not run');
      const input = { ...state, now: new Date().toISOString() } as HandlerInput<R>;
      const result = await fn(input);
      if (route.contentType && typeof result === 'string') {
        return {
          statusCode: route.status,
          headers: { 'content-type': route.contentType, 'cache-control': 'no-store' },
          body: result,
        };
      }
      return json(route.status, result);
    });
  // Every retry of the request stays within the time its invocation has left (see deadline.ts).
  const withTimeLeft = (event: ApiEvent, context: Context) =>
    withDeadline(context?.getRemainingTimeInMillis?.() ?? functionTimeoutMs, () => handler(event, context));
  return Object.assign(withTimeLeft, { route });
}
