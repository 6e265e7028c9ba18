import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { previewSalesPlanCsv } from '#functions/plan/plan-csv';

export const handler = defineHandler(planRoutes.previewSalesPlanCsv, async ({ params, body }) =>
  previewSalesPlanCsv(params, body.csv),
);
