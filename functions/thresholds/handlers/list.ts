import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { listCycleThresholds } from '#functions/thresholds/entities';

export const handler = defineHandler(thresholdRoutes.listCycleThresholds, async ({ params, query }) =>
  listCycleThresholds(params.workspaceId, params.cycleId, query),
);
