import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { saveThreshold } from '../../store/thresholds';

export const handler = defineHandler(thresholdRoutes.saveThreshold, async ({ params, body, caller, now }) =>
  saveThreshold({ ...params, ...body }, caller, now),
);
