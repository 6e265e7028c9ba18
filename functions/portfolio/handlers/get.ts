import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { requirePortfolioItem } from '#functions/portfolio/portfolio';

export const handler = defineHandler(portfolioRoutes.getPortfolioItem, async ({ params }) =>
  requirePortfolioItem(params.workspaceId, params.itemId),
);
