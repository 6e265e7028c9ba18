import { apiPrefix, routeTable } from 'virtual:accord-routes';
import type { z } from 'zod';
import type { RouteName, Routes } from '../../../functions/routes/index';
import { session } from './session.svelte';

/** An answer other than 2xx, with the server's `{ error, message, details }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Field problems of a 400, keyed by field without its `body.` prefix, for showing beside inputs. */
  fieldErrors(): Record<string, string> {
    const problems = Array.isArray(this.details) ? (this.details as Array<{ field?: string; message?: string }>) : [];
    const byField: Record<string, string> = {};
    for (const problem of problems) {
      if (problem.field && problem.message) byField[problem.field.replace(/^(body|path|query)\./, '')] = problem.message;
    }
    return byField;
  }
}

type InputOf<S> = NonNullable<S> extends z.ZodType ? z.input<NonNullable<S>> : never;
type Part<K extends string, S> = [InputOf<S>] extends [never] ? { [P in K]?: never } : { [P in K]: InputOf<S> };

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
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
    if (response.status === 401) session.expire();
    throw new ApiError(response.status, problem.error ?? 'Error', problem.message ?? response.statusText, problem.details);
  }
  return payload as ResponseOf<N>;
}
