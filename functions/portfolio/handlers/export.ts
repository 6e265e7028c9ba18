import { portfolioToCsv } from '#contract/portfolio/portfolio-csv';
import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { workspaceToday } from '#functions/workspaces/workspaces';

export const handler = defineHandler(portfolioRoutes.exportPortfolioItems, async ({ params, now }) => {
  const [today, items] = await Promise.all([workspaceToday(params.workspaceId, now), allPortfolioItems(params.workspaceId)]);
  return { filename: `portfolio-${today}.csv`, csv: portfolioToCsv(items) };
});
