import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { getSalesPlanOf } from '#functions/plan/sales-plan';

export const handler = defineHandler(planRoutes.getSalesPlan, async ({ params }) =>
  getSalesPlanOf(params.workspaceId, params.cycleId),
);
