import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { exportIssues } from '#functions/misalignment/issue-list';

export const handler = defineHandler(misalignmentRoutes.exportMisalignmentIssues, async ({ params, query, now }) => {
  const { from, to, ...filters } = query;
  return exportIssues(params.workspaceId, filters, { from, to }, now);
});
