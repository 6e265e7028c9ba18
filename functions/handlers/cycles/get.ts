import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { requireCycle } from '../../store/cycles';

export const handler = defineHandler(thresholdRoutes.getCycle, async ({ params }) =>
  requireCycle(params.workspaceId, params.cycleId),
);
