import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { listPortfolioItems } from '#functions/portfolio/entities';

export const handler = defineHandler(portfolioRoutes.listPortfolioItems, async ({ params, query }) =>
  listPortfolioItems(params.workspaceId, query),
);
