import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { listPortfolioItemsPage } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.listPortfolioItems, async ({ params, query }) =>
  listPortfolioItemsPage(params.workspaceId, query),
);
