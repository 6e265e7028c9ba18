import { acrossRoutes } from '#contract/catalogue/routes-across';
import { listCycleUnservedDemand } from '#functions/catalogue/unserved';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.listCycleUnservedDemand, async ({ params, query }) =>
  listCycleUnservedDemand(params.workspaceId, params.cycleId, query),
);
