import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { createIssue } from '../../store/misalignment';
import { getScoringModel } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.createMisalignmentIssue, async ({ params, body, caller, now }) => {
  const currency = body.currency ?? (await getScoringModel(params.workspaceId)).currency;
  return createIssue(params.workspaceId, { ...body, currency }, caller, now);
});
