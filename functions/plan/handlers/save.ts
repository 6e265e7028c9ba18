import { planRoutes } from '#contract/plan/routes';
import { defineHandler } from '#functions/kernel/http';
import { saveSalesPlan } from '#functions/plan/sales-plan';

// The plan is read beside the membership check, which decides (by role and function) only before the write.
export const handler = defineHandler(planRoutes.saveSalesPlan, async ({ params, body, membership, caller, now }) =>
  saveSalesPlan(params, body, membership, caller, now),
);
