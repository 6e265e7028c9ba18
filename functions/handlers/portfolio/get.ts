import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { requirePortfolioItem } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.getPortfolioItem, async ({ params }) =>
  requirePortfolioItem(params.workspaceId, params.itemId),
);
