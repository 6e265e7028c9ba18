import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { importPortfolioItems } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.importPortfolioItems, async ({ params, body, caller, now }) =>
  importPortfolioItems(params.workspaceId, body.csv, caller, now),
);
