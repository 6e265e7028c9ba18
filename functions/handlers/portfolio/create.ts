import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { createPortfolioItem } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.createPortfolioItem, async ({ params, body, caller, now }) =>
  createPortfolioItem(params.workspaceId, body, caller, now),
);
