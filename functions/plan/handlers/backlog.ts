import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { getPlanBacklogOf } from '#functions/plan/proposals';

export const handler = defineHandler(planRoutes.getPlanBacklog, async ({ params }) =>
  getPlanBacklogOf(params.workspaceId, params.cycleId),
);
