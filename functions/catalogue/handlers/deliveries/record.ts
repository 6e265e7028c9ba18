import { deliveryRoutes } from '#contract/catalogue/routes-delivery';
import { recordDelivery } from '#functions/catalogue/deliveries';
import { deliveryOf } from '#functions/catalogue/deliveries-input';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(deliveryRoutes.recordDelivery, async ({ params, body, caller, now }) =>
  recordDelivery(params, deliveryOf(body), { allowOverDelivery: body.allowOverDelivery ?? false }, caller, now),
);
