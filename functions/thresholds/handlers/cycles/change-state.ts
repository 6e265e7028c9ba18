import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { changeCycleState } from '#functions/thresholds/cycles';

export const handler = defineHandler(thresholdRoutes.changeCycleState, async ({ params, body, caller, now }) =>
  changeCycleState({ ...params, ...body }, caller, now),
);
