import type * as z from 'zod';
import { apiPrefix, type RouteName, type Routes, routes } from '../../functions/routes/index';

type InputOf<S> = NonNullable<S> extends z.ZodType ? z.input<NonNullable<S>> : never;
/** A part the route does not take is forbidden; one whose fields are all optional may be left out. */
type Part<K extends string, S> = [InputOf<S>] extends [never]
  ? { [P in K]?: never }
  : Record<never, never> extends InputOf<S>
    ? { [P in K]?: InputOf<S> }
    : { [P in K]: InputOf<S> };

/** Extra request headers (an `Idempotency-Key`, say); the token and content type are set already. */
interface WithHeaders {
  headers?: Record<string, string>;
}

/** What calling a route takes: exactly the parts its schemas declare, typed as the schemas read them. */
export type CallInput<N extends RouteName> = Part<'params', Routes[N]['params']> &
  Part<'query', Routes[N]['query']> &
  Part<'body', Routes[N]['body']> &
  WithHeaders;

/**
 * A call that may break the route's schema on purpose (a hostile body, a
 * malformed id): only the route name is checked.
 */
export interface RawCallInput extends WithHeaders {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** The `{ error, message, details }` of a refusal, on the same answer so a test can read either. */
export interface Problem {
  error?: string;
  message?: string;
  details?: any;
}

export type ResponseOf<N extends RouteName> = Routes[N]['response'];

/** The answer of a route: its declared shape on success, the problem fields on a refusal. */
export type Answer<N extends RouteName> = ResponseOf<N> & Problem;

export interface RouteRequest {
  method: string;
  /** Below the API prefix, with parameters substituted and the query encoded. */
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

/** The input may be left out when the route takes no parts, or only optional ones. */
export type InputArgs<N extends RouteName> =
  Record<never, never> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

/** The body a route takes, as its schema reads it: for helpers that build one. */
export type BodyOf<N extends RouteName> = InputOf<Routes[N]['body']>;

/** Method, path and body of a call to a route of the route table. */
export function routeRequest(name: RouteName, input: RawCallInput = {}): RouteRequest {
  const entry = routes[name];
  if (!entry) throw new Error(`Unknown route ${String(name)}`);
  const path = entry.path.replace(/\{(\w+)\}/g, (_match, key: string) => {
    const value = input.params?.[key];
    if (value === undefined) throw new Error(`${String(name)} needs the parameter ${key}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined) search.set(key, String(value));
  }
  return {
    method: entry.method,
    path: search.size > 0 ? `${path}?${search}` : path,
    body: input.body,
    headers: input.headers ?? {},
  };
}

/** The full URL path of a route call, prefix included, for raw requests. */
export const routeUrl = (name: RouteName, input: RawCallInput = {}) => `${apiPrefix}${routeRequest(name, input).path}`;

/** The value, or a failed test naming what was missing: for a record a test looks up in an answer. */
export function present<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
