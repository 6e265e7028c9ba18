import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { listThresholdVersions } from '../../store/thresholds';

export const handler = defineHandler(thresholdRoutes.listThresholdVersions, async ({ params, query }) =>
  listThresholdVersions(params.workspaceId, params.itemId, params.cycleId, query),
);
