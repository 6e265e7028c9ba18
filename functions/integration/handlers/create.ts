import { integrationRoutes } from '#contract/integration/routes';
import { createApiKey } from '#functions/integration/keys';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(integrationRoutes.createApiKey, async ({ params, body, caller, now }) =>
  createApiKey(params.workspaceId, body, caller, now),
);
