import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { accessRefusal, normaliseEmail } from '../domain/members';
import type { Caller, MemberView } from '../domain/views';
import type { RouteDefinition } from '../routes/define';
import { getMember } from '../store/workspaces';
import {
  BadRequest,
  type FieldProblem,
  Forbidden,
  HttpError,
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
export const maxBodyBytes = 64 * 1024;

/** Parsed type of an optional schema: present on a route means present in the handler's input. */
type Infer<T> = NonNullable<T> extends z.ZodType ? z.output<NonNullable<T>> : undefined;

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
]);

function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return (
    unavailableErrors.has(error.name) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    /ECONNREFUSED|socket hang up|connect ETIMEDOUT/.test(error.message)
  );
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
  const name = typeof claims?.name === 'string' && claims.name !== '' ? claims.name : email;
  return { sub, email, name };
}

function problemsOf(where: string, error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'is not a known field' }));
    }
    return [{ field: base, message: issue.message }];
  });
}

function parseBody(event: ApiEvent): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) {
    throw new PayloadTooLarge(`Request body exceeds the limit of ${maxBodyBytes} bytes`);
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

/** Identity, input and access, in that order: a request that fails one never reaches the next. */
function routeGuard(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: async (request) => {
      const state: State = {};
      guarded.set(request.event, state);
      const { event } = request;
      if (route.access.kind !== 'public') state.caller = callerFrom(event);

      const problems: FieldProblem[] = [];
      const check = (where: string, schema: z.ZodType | undefined, value: unknown) => {
        if (!schema) return undefined;
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        problems.push(...problemsOf(where, result.error));
        return undefined;
      };
      state.params = check('path', route.params, event.pathParameters ?? {});
      state.query = check('query', route.query, event.queryStringParameters ?? {});
      if (route.body) {
        state.body = check('body', route.body, parseBody(event));
      }
      if (problems.length > 0) throw new ValidationFailed(problems);

      if (route.access.kind === 'member' && state.caller) {
        const workspaceId = (state.params as { workspaceId?: string } | undefined)?.workspaceId;
        if (!workspaceId) throw new Error(`Route ${route.path} is a member route without {workspaceId}`);
        const member = await getMember(workspaceId, state.caller.email);
        // Not a member and no such workspace look the same, so ids of other
        // companies' workspaces reveal nothing.
        if (!member) throw new NotFound('Workspace not found');
        const refusal = accessRefusal(route.access, member);
        if (refusal) throw new Forbidden(refusal);
        state.member = member;
      }
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
  return Object.assign(handler, { route });
}
