import { openApiDocument } from '#contract/integration/openapi';
import { integrationRoutes } from '#contract/integration/routes';
import { defineHandler } from '#functions/kernel/http';

// Built once per cold start: the route table does not change while the function lives.
let document: ReturnType<typeof openApiDocument> | undefined;

export const handler = defineHandler(integrationRoutes.getOpenApiDocument, async () => {
  document ??= openApiDocument();
  return document;
});
