import { catalogueRoutes } from '#contract/catalogue/routes';
import { checkOrder } from '#functions/catalogue/orders';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.checkOrder, async ({ params, body, now }) =>
  checkOrder(params.workspaceId, body, now),
);
