import { portfolioToCsv } from '#contract/portfolio/portfolio-csv';
import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { workspaceToday } from '#functions/workspaces/workspaces';

export const handler = defineHandler(portfolioRoutes.exportPortfolioItems, async ({ params, now }) => ({
  filename: `portfolio-${await workspaceToday(params.workspaceId, now)}.csv`,
  csv: portfolioToCsv(await allPortfolioItems(params.workspaceId)),
}));
