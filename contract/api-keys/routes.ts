import { workspaceParams } from '#contract/common';
import { admin, returns, route } from '#contract/define';
import type { Page } from '#contract/page';
import type { ApiKeyView, CreatedApiKey } from './api-keys';
import { apiKeyParams, createApiKeyBody, listApiKeysQuery } from './schemas';

/** Workspace API keys for machine callers: admins create, list and revoke them. */
export const apiKeyRoutes = {
  createApiKey: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/api-keys',
    handler: 'api-keys/create',
    summary: 'Create an API key for a machine caller, scoped to named machine routes; its secret is shown this once',
    access: admin,
    writes: true,
    status: 201,
    params: workspaceParams,
    body: createApiKeyBody,
    response: returns<CreatedApiKey>(),
  }),
  listApiKeys: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/api-keys',
    handler: 'api-keys/list',
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
    handler: 'api-keys/revoke',
    summary: 'Revoke an API key: every later request with it is refused',
    access: admin,
    writes: true,
    params: apiKeyParams,
    response: returns<ApiKeyView>(),
  }),
};
