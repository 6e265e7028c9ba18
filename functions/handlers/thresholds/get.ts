import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { getThresholdView } from '../../store/thresholds';

export const handler = defineHandler(thresholdRoutes.getThreshold, async ({ params }) => getThresholdView(params));
