import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { applySalesPlanCsv } from '#functions/plan/plan-csv';

export const handler = defineHandler(planRoutes.applySalesPlanCsv, async ({ params, body, membership, caller, now }) =>
  applySalesPlanCsv(params, body, membership, caller, now),
);
