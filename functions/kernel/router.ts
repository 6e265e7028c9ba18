import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from './http';

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** Gives one route's handler module (see `writeEntries` for why entries import handlers statically). */
export type HandlerLoader = () => Promise<{ handler: Handler }>;

/** The header CloudFront adds to every request it sends to the API (infra/web-hosting.ts). */
export const originVerifyHeader = 'x-origin-verify';

/**
 * The environment variable holding the header's accepted values, separated by spaces (the current one, and during a
 * rotation the previous one); unset locally, where there is no CloudFront.
 */
export const originVerifyEnv = 'ORIGIN_VERIFY';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether a request came through CloudFront. Comparing digests keeps the
 * comparison constant-time whatever the length of what was sent. Only events
 * from API Gateway (which always names its API) are checked: the readiness
 * probe invokes the function directly, which needs IAM rights, not a header.
 */
function fromCloudFront(event: ApiEvent, accepted: Buffer[]): boolean {
  if (!event.requestContext?.apiId) return true;
  const sent = event.headers?.[originVerifyHeader];
  if (typeof sent !== 'string') return false;
  const sentDigest = digest(sent);
  return accepted.reduce((match, value) => timingSafeEqual(sentDigest, value) || match, false);
}

/**
 * The entry point of a Lambda function that serves a group of routes (see
 * `infra/function-groups.ts`): it picks the handler by API Gateway's route key,
 * e.g. `GET /api/workspaces/{workspaceId}`. Each handler still runs its own
 * middleware, so a route behaves the same whichever function serves it.
 * With `ORIGIN_VERIFY` set, a request that reached the API around CloudFront
 * (at its execute-api address) is refused before any handler runs.
 */
export function createRouter(loaders: Record<string, HandlerLoader>): Handler {
  const accepted = (process.env[originVerifyEnv] ?? '').split(' ').filter(Boolean).map(digest);
  return async (event, context) => {
    if (accepted.length > 0 && !fromCloudFront(event, accepted)) {
      return {
        statusCode: 403,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify({ error: 'Forbidden', message: 'Call the API through the app’s address, not the API directly' }),
      };
    }
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
