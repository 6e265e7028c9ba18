import { apiKeyRoutes } from '#contract/api-keys/routes';
import { revokeApiKey } from '#functions/api-keys/keys';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(apiKeyRoutes.revokeApiKey, async ({ params, caller, now }) =>
  revokeApiKey(params.workspaceId, params.keyId, caller, now),
);
