import { acrossRoutes } from '#contract/catalogue/routes-across';
import { correctUnservedDemand } from '#functions/catalogue/unserved';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.correctUnservedDemand, async ({ params, body, membership, caller, now }) =>
  correctUnservedDemand({ ...params, ...body }, membership, caller, now),
);
