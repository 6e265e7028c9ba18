import { deliveryRoutes } from '#contract/catalogue/routes-delivery';
import { importDeliveries } from '#functions/catalogue/deliveries-import';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(deliveryRoutes.importDeliveries, async ({ params, body, caller, now }) =>
  importDeliveries(params.workspaceId, body, caller, now),
);
