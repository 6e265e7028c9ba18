import { portfolioToCsv } from '../../domain/portfolio-csv';
import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { allPortfolioItems } from '../../store/portfolio';

export const handler = defineHandler(portfolioRoutes.exportPortfolioItems, async ({ params, now }) => ({
  filename: `portfolio-${now.slice(0, 10)}.csv`,
  csv: portfolioToCsv(await allPortfolioItems(params.workspaceId)),
}));
