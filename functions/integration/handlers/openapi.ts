import { openApiDocument } from '#contract/integration/openapi';
import { integrationRoutes } from '#contract/integration/routes';
import { log } from '#functions/kernel/logger';
import { type ApiEvent, type ApiResult, json } from '#functions/kernel/request';

const route = integrationRoutes.getOpenApiDocument;

// Built once per cold start: the route table does not change while the function lives.
let document: ReturnType<typeof openApiDocument> | undefined;

/**
 * The document needs the whole route table and zod's JSON Schema generator;
 * with the kernel's pipeline and its DynamoDB client besides, the function
 * would pass the bundle budget (docs/decisions/0002-bundle-budget.md). It is
 * public and reads no data, so it needs none of the pipeline's identity,
 * membership, input or database steps: only the answer and the request log.
 */
async function serve(event: ApiEvent): Promise<ApiResult> {
  const started = performance.now();
  document ??= openApiDocument();
  const answer = json(200, document, { 'cache-control': 'public, max-age=300' });
  log.info('request', {
    route: `${route.method} ${route.path}`,
    status: 200,
    durationMs: Math.round(performance.now() - started),
    apiRequestId: event?.requestContext?.requestId,
  });
  return answer;
}

export const handler = Object.assign(serve, { route });
