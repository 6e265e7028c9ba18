import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from './http';

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** Gives one route's handler module (see `writeEntries` for why entries import handlers statically). */
export type HandlerLoader = () => Promise<{ handler: Handler }>;

/**
 * The entry point of a Lambda function that serves a group of routes (see
 * `infra/function-groups.ts`): it picks the handler by API Gateway's route key,
 * e.g. `GET /api/workspaces/{workspaceId}`. Each handler still runs its own
 * middleware, so a route behaves the same whichever function serves it.
 */
export function createRouter(loaders: Record<string, HandlerLoader>): Handler {
  return async (event, context) => {
    const load = loaders[event.routeKey];
    if (!load) {
      // Only reachable if the API routed a key this function was not built for: a deployment mismatch.
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'NotFound', message: `No handler for ${event.routeKey}` }),
      };
    }
    const module = await load();
    return module.handler(event, context);
  };
}
