import { workspaceParams } from '#contract/common';
import { admin, returns, route } from '#contract/define';
import type { Page } from '#contract/page';
import type { ApiKeyView, CreatedApiKey } from './api-keys';
import type { OpenApiDocument } from './openapi-document';
import { apiKeyParams, createApiKeyBody, listApiKeysQuery } from './schemas';

/**
 * What another system needs to call the API: its OpenAPI description, and
 * workspace API keys for machine callers, which admins create, list and revoke.
 */
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
  createApiKey: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/api-keys',
    handler: 'integration/create',
    summary: 'Create an API key for a machine caller, scoped to named machine routes; its secret is shown this once',
    access: admin,
    writes: true,
    status: 201,
    // A replay would keep the answer, and with it the secret, in the table: an Idempotency-Key is ignored here.
    idempotent: false,
    params: workspaceParams,
    body: createApiKeyBody,
    response: returns<CreatedApiKey>(),
  }),
  listApiKeys: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/api-keys',
    handler: 'integration/list',
    summary: 'The workspace’s API keys, newest first, paged; never their secrets',
    access: admin,
    writes: false,
    params: workspaceParams,
    query: listApiKeysQuery,
    response: returns<Page<ApiKeyView>>(),
  }),
  revokeApiKey: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/api-keys/{keyId}/revoke',
    handler: 'integration/revoke',
    summary: 'Revoke an API key: every later request with it is refused',
    access: admin,
    writes: true,
    params: apiKeyParams,
    response: returns<ApiKeyView>(),
  }),
};
