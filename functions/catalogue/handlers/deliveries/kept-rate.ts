import { deliveryRoutes } from '#contract/catalogue/routes-delivery';
import { promiseKeptRate } from '#functions/catalogue/kept-rate';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(deliveryRoutes.getPromiseKeptRate, async ({ params, query, now }) =>
  promiseKeptRate(params.workspaceId, query, now),
);
