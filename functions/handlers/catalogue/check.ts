import { defineHandler } from '../../lib/http';
import { catalogueRoutes } from '../../routes/catalogue';
import { promiseCheck } from '../../store/promise-check';

export const handler = defineHandler(catalogueRoutes.promiseCheck, async ({ params, query, now }) =>
  promiseCheck(
    params.workspaceId,
    params.itemId,
    { quantity: query.quantity, deliveryDate: query.date, leadTimeDays: query.leadTimeDays, orderValue: query.orderValue },
    now,
  ),
);
