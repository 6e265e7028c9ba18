import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { applyPortfolioCsv } from '#functions/portfolio/csv-update';

export const handler = defineHandler(portfolioRoutes.applyPortfolioCsv, async ({ params, body, caller, now }) =>
  applyPortfolioCsv(params.workspaceId, body.csv, body.token, caller, now),
);
