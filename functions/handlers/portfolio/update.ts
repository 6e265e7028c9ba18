import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { updatePortfolioItem } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.updatePortfolioItem, async ({ params, body, caller, now }) =>
  updatePortfolioItem(params.workspaceId, params.itemId, body, caller, now),
);
