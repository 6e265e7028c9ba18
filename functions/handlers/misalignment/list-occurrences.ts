import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { listOccurrences, requireIssue } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.listOccurrences, async ({ params, query }) => {
  await requireIssue(params.workspaceId, params.issueId);
  return listOccurrences(params.workspaceId, params.issueId, query);
});
