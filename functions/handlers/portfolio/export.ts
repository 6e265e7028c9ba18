import { portfolioToCsv } from '../../domain/portfolio-csv';
import { defineHandler } from '../../lib/http';
import { portfolioRoutes } from '../../routes/portfolio';
import { allPortfolioItems } from '../../store/portfolio';
import { workspaceToday } from '../../store/workspaces';

export const handler = defineHandler(portfolioRoutes.exportPortfolioItems, async ({ params, now }) => ({
  filename: `portfolio-${await workspaceToday(params.workspaceId, now)}.csv`,
  csv: portfolioToCsv(await allPortfolioItems(params.workspaceId)),
}));
