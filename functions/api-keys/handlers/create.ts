import { apiKeyRoutes } from '#contract/api-keys/routes';
import { createApiKey } from '#functions/api-keys/keys';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(apiKeyRoutes.createApiKey, async ({ params, body, caller, now }) =>
  createApiKey(params.workspaceId, body, caller, now),
);
