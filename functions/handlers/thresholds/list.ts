import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { listCycleThresholds } from '../../store/thresholds';

export const handler = defineHandler(thresholdRoutes.listCycleThresholds, async ({ params, query }) =>
  listCycleThresholds(params.workspaceId, params.cycleId, query),
);
