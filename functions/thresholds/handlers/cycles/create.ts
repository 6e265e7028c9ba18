import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { createCycle } from '#functions/thresholds/cycles';

export const handler = defineHandler(thresholdRoutes.createCycle, async ({ params, body, caller, now }) =>
  createCycle(params.workspaceId, body, caller, now),
);
