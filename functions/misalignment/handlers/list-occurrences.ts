import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { listOccurrences, requireIssue } from '#functions/misalignment/misalignment';

export const handler = defineHandler(misalignmentRoutes.listOccurrences, async ({ params, query }) => {
  await requireIssue(params.workspaceId, params.issueId);
  return listOccurrences(params.workspaceId, params.issueId, query);
});
