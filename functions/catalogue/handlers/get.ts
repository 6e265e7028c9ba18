import { catalogueRoutes } from '#contract/catalogue/routes';
import { defineHandler } from '#functions/kernel/http';
import { getCatalogueEntry } from '#functions/portfolio/portfolio';

export const handler = defineHandler(catalogueRoutes.getCatalogueItem, async ({ params }) =>
  getCatalogueEntry(params.workspaceId, params.itemId),
);
