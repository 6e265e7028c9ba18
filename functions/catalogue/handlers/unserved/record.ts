import { acrossRoutes } from '#contract/catalogue/routes-across';
import { recordUnservedDemand } from '#functions/catalogue/unserved';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.recordUnservedDemand, async ({ params, body, caller, now }) =>
  recordUnservedDemand({ ...params, ...body }, caller, now),
);
