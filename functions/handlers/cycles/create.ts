import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { createCycle } from '../../store/cycles';

export const handler = defineHandler(thresholdRoutes.createCycle, async ({ params, body, caller, now }) =>
  createCycle(params.workspaceId, body, caller, now),
);
