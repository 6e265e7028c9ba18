import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { listCycles } from '#functions/thresholds/entities-cycles';

export const handler = defineHandler(thresholdRoutes.listCycles, async ({ params, query }) =>
  listCycles(params.workspaceId, query),
);
