import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { getPlanLoadOf } from '#functions/plan/load';

export const handler = defineHandler(planRoutes.getPlanLoad, async ({ params, query }) =>
  getPlanLoadOf(params.workspaceId, params.cycleId, query),
);
