import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { listThresholdVersions } from '#functions/thresholds/entities';

export const handler = defineHandler(thresholdRoutes.listThresholdVersions, async ({ params, query }) =>
  listThresholdVersions(params.workspaceId, params.itemId, params.cycleId, query),
);
