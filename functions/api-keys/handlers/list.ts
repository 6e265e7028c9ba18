import { apiKeyRoutes } from '#contract/api-keys/routes';
import { listApiKeys } from '#functions/api-keys/keys';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(apiKeyRoutes.listApiKeys, async ({ params, query }) =>
  listApiKeys(params.workspaceId, query),
);
