import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { listIssuesInRange } from '#functions/misalignment/issue-list';

export const handler = defineHandler(misalignmentRoutes.listMisalignmentIssues, async ({ params, query }) => {
  const { limit, cursor, from, to, ...filters } = query;
  return listIssuesInRange(params.workspaceId, filters, { from, to }, { limit, cursor });
});
