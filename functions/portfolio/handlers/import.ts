import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { importPortfolioItems } from '#functions/portfolio/csv-import';

export const handler = defineHandler(portfolioRoutes.importPortfolioItems, async ({ params, body, caller, now }) =>
  importPortfolioItems(params.workspaceId, body.csv, caller, now),
);
