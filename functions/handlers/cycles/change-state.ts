import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { changeCycleState } from '../../store/cycles';

export const handler = defineHandler(thresholdRoutes.changeCycleState, async ({ params, body, caller, now }) =>
  changeCycleState({ ...params, ...body }, caller, now),
);
