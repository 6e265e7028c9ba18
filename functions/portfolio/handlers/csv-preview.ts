import { portfolioRoutes } from '#contract/portfolio/routes';
import { defineHandler } from '#functions/kernel/http';
import { previewPortfolioCsv } from '#functions/portfolio/csv-update';

export const handler = defineHandler(portfolioRoutes.previewPortfolioCsv, async ({ params, body }) =>
  previewPortfolioCsv(params.workspaceId, body.csv),
);
