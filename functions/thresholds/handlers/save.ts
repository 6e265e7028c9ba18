import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { saveThreshold } from '#functions/thresholds/thresholds';

export const handler = defineHandler(thresholdRoutes.saveThreshold, async ({ params, body, caller, now }) =>
  saveThreshold({ ...params, ...body }, caller, now),
);
