import { integrationRoutes } from '#contract/integration/routes';
import { listApiKeys } from '#functions/integration/keys';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(integrationRoutes.listApiKeys, async ({ params, query }) =>
  listApiKeys(params.workspaceId, query),
);
