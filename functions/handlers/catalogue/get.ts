import { defineHandler } from '../../lib/http';
import { catalogueRoutes } from '../../routes/catalogue';
import { getCatalogueEntry } from '../../store/portfolio';

export const handler = defineHandler(catalogueRoutes.getCatalogueItem, async ({ params }) =>
  getCatalogueEntry(params.workspaceId, params.itemId),
);
