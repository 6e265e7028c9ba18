import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { updateIssue } from '#functions/misalignment/issues';

export const handler = defineHandler(misalignmentRoutes.updateMisalignmentIssue, async ({ params, body, caller, now }) => {
  const { expectedVersion, ...patch } = body;
  return updateIssue(params.workspaceId, params.issueId, patch, expectedVersion, caller, now);
});
