import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { listPortfolioItems } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.listPortfolioItems, async ({ params, query }) =>
  listPortfolioItems(params.workspaceId, query),
);
