import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { apiKeyHeader } from '#contract/machine';
import type { KeyContext } from '#functions/access/key-context';
import { log } from '#functions/kernel/logger';
import { verifyApiKey } from './verify';

/**
 * The HTTP API's Lambda authorizer of the machine routes (simple responses,
 * no caching: a revoked key is refused from the next request on). A key that
 * is missing, malformed, unknown, revoked or wrong is refused here; which
 * routes it may call, its workspace and its rate limit are the kernel's to
 * decide with the context given here (functions/kernel/guard.ts), so the
 * answer to those is the API's own JSON.
 */
export async function handler(
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<KeyContext | Record<string, never>>> {
  const context = await verifyApiKey(event.headers?.[apiKeyHeader]);
  if (!context) {
    log.info('API key refused', { routeKey: event.routeKey, requestId: event.requestContext?.requestId });
    return { isAuthorized: false, context: {} };
  }
  return { isAuthorized: true, context };
}
