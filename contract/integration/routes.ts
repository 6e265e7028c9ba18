import { returns, route } from '#contract/define';
import type { OpenApiDocument } from './openapi';

/** What another system needs to call the API: its description. */
export const integrationRoutes = {
  getOpenApiDocument: route({
    method: 'GET',
    path: '/openapi.json',
    handler: 'integration/openapi',
    summary: 'The OpenAPI 3.1 document of this API, generated from the route table. Reachable without signing in',
    access: { kind: 'public' },
    writes: false,
    response: returns<OpenApiDocument>(),
  }),
};
