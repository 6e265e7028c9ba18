import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { requireCycle } from '#functions/thresholds/cycles';

export const handler = defineHandler(thresholdRoutes.getCycle, async ({ params }) =>
  requireCycle(params.workspaceId, params.cycleId),
);
