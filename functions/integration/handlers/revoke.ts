import { integrationRoutes } from '#contract/integration/routes';
import { revokeApiKey } from '#functions/integration/keys';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(integrationRoutes.revokeApiKey, async ({ params, caller, now }) =>
  revokeApiKey(params.workspaceId, params.keyId, caller, now),
);
