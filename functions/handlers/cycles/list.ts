import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { listCycles } from '../../store/cycles';

export const handler = defineHandler(thresholdRoutes.listCycles, async ({ params, query }) =>
  listCycles(params.workspaceId, query),
);
