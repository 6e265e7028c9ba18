import { portfolioToCsv } from '#contract/portfolio/portfolio-csv';
import { portfolioRoutes } from '#contract/portfolio/routes';
import { refuse } from '#contract/refusal';
import { defineHandler } from '#functions/kernel/http';
import { todayIn } from '#functions/kernel/today';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { getWorkspace } from '#functions/workspaces/workspaces';

export const handler = defineHandler(portfolioRoutes.exportPortfolioItems, async ({ params, now }) => {
  // The workspace dates the file and says how its spreadsheets write CSV.
  const [workspace, items] = await Promise.all([getWorkspace(params.workspaceId), allPortfolioItems(params.workspaceId)]);
  if (!workspace) throw refuse.notFound('Workspace not found');
  const style = { delimiter: workspace.csvDelimiter, decimal: workspace.csvDecimal };
  return { filename: `portfolio-${todayIn(workspace.timeZone, now)}.csv`, csv: portfolioToCsv(items, style) };
});
