import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { createIssue } from '#functions/misalignment/misalignment';
import { getScoringModel } from '#functions/misalignment/ranking';

export const handler = defineHandler(misalignmentRoutes.createMisalignmentIssue, async ({ params, body, caller, now }) => {
  const currency = body.currency ?? (await getScoringModel(params.workspaceId)).currency;
  return createIssue(params.workspaceId, { ...body, currency }, caller, now);
});
