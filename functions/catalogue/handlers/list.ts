import { catalogueRoutes } from '#contract/catalogue/routes';
import { defineHandler } from '#functions/kernel/http';
import { listCatalogue } from '#functions/portfolio/portfolio';

export const handler = defineHandler(catalogueRoutes.listCatalogue, async ({ params, query }) =>
  listCatalogue(params.workspaceId, query),
);
