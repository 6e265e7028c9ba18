import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { getPlanAttainmentOf } from '#functions/plan/attainment';

export const handler = defineHandler(planRoutes.getPlanAttainment, async ({ params, query }) =>
  getPlanAttainmentOf(params.workspaceId, params.cycleId, query),
);
