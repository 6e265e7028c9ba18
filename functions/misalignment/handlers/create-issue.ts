import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { createIssue } from '#functions/misalignment/issues';
import { getScoringModel } from '#functions/misalignment/scoring-model';

export const handler = defineHandler(misalignmentRoutes.createMisalignmentIssue, async ({ params, body, caller, now }) => {
  const currency = body.currency ?? (await getScoringModel(params.workspaceId)).currency;
  return createIssue(params.workspaceId, { ...body, currency }, caller, now);
});
