import { catalogueRoutes } from '#contract/catalogue/routes';
import { promiseCheck } from '#functions/catalogue/promise-check';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.promiseCheck, async ({ params, query, now }) =>
  promiseCheck(
    params.workspaceId,
    params.itemId,
    { quantity: query.quantity, deliveryDate: query.date, leadTimeDays: query.leadTimeDays, orderValue: query.orderValue },
    now,
  ),
);
