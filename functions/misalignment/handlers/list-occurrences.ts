import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { requireIssue } from '#functions/misalignment/issues';
import { listOccurrences } from '#functions/misalignment/occurrences';

export const handler = defineHandler(misalignmentRoutes.listOccurrences, async ({ params, query }) => {
  await requireIssue(params.workspaceId, params.issueId);
  return listOccurrences(params.workspaceId, params.issueId, query);
});
