import { apiPrefix, routeTable } from 'virtual:accord-routes';
import type * as z from 'zod/mini';
import type { RouteName, Routes } from '#contract/index';
import { ApiError } from './api-error';
import { session } from './session.svelte';
import type { Renewal } from './tokens';

export { ApiError };

type InputOf<S> = NonNullable<S> extends z.ZodMiniType ? z.input<NonNullable<S>> : never;
/** A part the route does not take is forbidden; one whose fields are all optional may be left out. */
type Part<K extends string, S> = [InputOf<S>] extends [never]
  ? { [P in K]?: never }
  : Record<never, never> extends InputOf<S>
    ? { [P in K]?: InputOf<S> }
    : { [P in K]: InputOf<S> };

/** What calling a route takes: exactly the parts its schemas declare. */
export type CallInput<N extends RouteName> = Part<'params', Routes[N]['params']> &
  Part<'query', Routes[N]['query']> &
  Part<'body', Routes[N]['body']>;

export type ResponseOf<N extends RouteName> = Routes[N]['response'];

function pathFor(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(params?.[name] ?? '')));
}

/**
 * Calls a route of the route table by name. The method, path and types come
 * from the table, so a renamed or removed route fails the typecheck here.
 */
export async function call<N extends RouteName>(name: N, input: CallInput<N>): Promise<ResponseOf<N>> {
  const entry = routeTable[name];
  if (!entry) throw new Error(`Unknown route ${name}`);
  const { method, path } = entry;
  const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const url = `${apiPrefix}${pathFor(path, params)}${search.size > 0 ? `?${search}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let token = await session.freshToken();
  // Creates carry an Idempotency-Key, so the one retry below after a lost
  // answer or a brief outage cannot create the same thing twice.
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  // Versioned changes (PATCH, DELETE) are not retried: a repeat would meet its own first attempt as a 409.
  const retryable = method === 'GET' || method === 'POST';
  const send = () =>
    fetch(url, {
      method,
      headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    if (!retryable) throw error;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    response = await send();
  }
  if (response.status === 503 && retryable) {
    const wait = Math.min(5, Math.max(1, Number(response.headers.get('retry-after')) || 1));
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    response = await send();
  }
  // An ID token that ran out (or that another request already replaced) is renewed once and the request
  // sent once more; the authorizer refused it before any handler ran, so even a versioned change is safe to repeat.
  let renewal: Renewal | null = null;
  if (response.status === 401 && token) {
    renewal = session.token !== token ? 'renewed' : await session.renew();
    if (renewal === 'renewed' && session.token) {
      token = session.token;
      response = await send();
    }
  }
  const text = await response.text();
  let payload: unknown;
  if (/^application\/json\b/i.test(response.headers.get('content-type') ?? 'application/json')) {
    try {
      payload = text === '' ? undefined : JSON.parse(text);
    } catch {
      payload = undefined;
    }
  } else {
    // Routes that answer with a document (Markdown minutes) give their text as is.
    payload = text;
  }
  if (!response.ok) {
    const problem = (payload ?? {}) as { error?: string; message?: string; details?: unknown };
    // Cognito out of reach is not a refusal: keep the session, the renewal is tried again shortly.
    if (response.status === 401 && renewal !== 'unavailable') session.expire();
    throw new ApiError(response.status, problem.error ?? 'Error', problem.message ?? response.statusText, problem.details);
  }
  return payload as ResponseOf<N>;
}

/** Routes that answer a page of a list with the cursor of the next one. */
export type PagedRouteName = {
  [N in RouteName]: ResponseOf<N> extends { nextCursor: string | null } ? N : never;
}[RouteName];

/**
 * Every page of a paged list, following `nextCursor` until the last page:
 * for screens that show a whole, capped collection (members, the portfolio).
 */
export async function callAll<N extends PagedRouteName, K extends keyof ResponseOf<N>>(
  name: N,
  input: CallInput<N>,
  field: K,
): Promise<ResponseOf<N>[K]> {
  const all: unknown[] = [];
  let cursor: string | null = null;
  const base = input as { query?: Record<string, unknown> };
  do {
    const query: Record<string, unknown> = { limit: 200, ...base.query, ...(cursor ? { cursor } : {}) };
    const page = (await call(name, { ...input, query } as CallInput<N>)) as ResponseOf<N> & { nextCursor: string | null };
    all.push(...(page[field] as unknown[]));
    cursor = page.nextCursor;
  } while (cursor);
  return all as ResponseOf<N>[K];
}
