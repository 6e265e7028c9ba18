import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { updateIssue } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.updateMisalignmentIssue, async ({ params, body, caller, now }) => {
  const { expectedVersion, ...patch } = body;
  return updateIssue(params.workspaceId, params.issueId, patch, expectedVersion, caller, now);
});
