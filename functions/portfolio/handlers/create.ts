import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { createPortfolioItem } from '#functions/portfolio/portfolio';

export const handler = defineHandler(portfolioRoutes.createPortfolioItem, async ({ params, body, caller, now }) =>
  createPortfolioItem(params.workspaceId, body, caller, now),
);
