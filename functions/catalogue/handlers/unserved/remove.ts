import { acrossRoutes } from '#contract/catalogue/routes-across';
import { removeUnservedDemand } from '#functions/catalogue/unserved';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.removeUnservedDemand, async ({ params, query, membership, caller, now }) =>
  removeUnservedDemand({ ...params, ...query }, membership, caller, now),
);
