import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { previewThresholdCsv } from '#functions/thresholds/csv-update';

export const handler = defineHandler(thresholdRoutes.previewThresholdCsv, async ({ params, body }) =>
  previewThresholdCsv(params, body.csv),
);
