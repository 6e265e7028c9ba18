import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { requirePortfolioItem } from '#functions/portfolio/items';

export const handler = defineHandler(portfolioRoutes.getPortfolioItem, async ({ params }) =>
  requirePortfolioItem(params.workspaceId, params.itemId),
);
