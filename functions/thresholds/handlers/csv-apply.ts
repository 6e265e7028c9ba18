import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { applyThresholdCsv } from '#functions/thresholds/csv-update';

export const handler = defineHandler(thresholdRoutes.applyThresholdCsv, async ({ params, body, caller, now }) =>
  applyThresholdCsv(params, body, caller, now),
);
