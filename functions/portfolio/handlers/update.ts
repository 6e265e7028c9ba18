import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { updatePortfolioItem } from '#functions/portfolio/items';

export const handler = defineHandler(portfolioRoutes.updatePortfolioItem, async ({ params, body, caller, now }) =>
  updatePortfolioItem(params.workspaceId, params.itemId, body, caller, now),
);
