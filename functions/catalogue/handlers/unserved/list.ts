import { acrossRoutes } from '#contract/catalogue/routes-across';
import { listUnservedDemand } from '#functions/catalogue/unserved';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.listUnservedDemand, async ({ params, query }) =>
  listUnservedDemand(params.workspaceId, params.itemId, query.cycleId, query),
);
