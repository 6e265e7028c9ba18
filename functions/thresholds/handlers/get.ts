import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { getThresholdView } from '#functions/thresholds/thresholds';

export const handler = defineHandler(thresholdRoutes.getThreshold, async ({ params }) => getThresholdView(params));
