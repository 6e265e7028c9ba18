import { defineHandler } from '../../lib/http';
import { catalogueRoutes } from '../../routes/catalogue';
import { listCatalogue } from '../../store/portfolio';

export const handler = defineHandler(catalogueRoutes.listCatalogue, async ({ params, query }) =>
  listCatalogue(params.workspaceId, query),
);
