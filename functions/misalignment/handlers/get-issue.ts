import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { issueDetail } from '#functions/misalignment/scoring-model';

export const handler = defineHandler(misalignmentRoutes.getMisalignmentIssue, async ({ params, now }) =>
  issueDetail(params.workspaceId, params.issueId, now),
);
