import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { listCycles } from '#functions/thresholds/cycles';

export const handler = defineHandler(thresholdRoutes.listCycles, async ({ params, query }) =>
  listCycles(params.workspaceId, query),
);
