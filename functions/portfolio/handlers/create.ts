import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { createPortfolioItem } from '#functions/portfolio/items';

export const handler = defineHandler(portfolioRoutes.createPortfolioItem, async ({ params, body, caller, now }) =>
  createPortfolioItem(params.workspaceId, body, caller, now),
);
