import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { saveScoringModel } from '#functions/misalignment/scoring-model';

export const handler = defineHandler(misalignmentRoutes.saveScoringModel, async ({ params, body, caller, now }) => {
  const { expectedVersion, ...model } = body;
  return saveScoringModel(params.workspaceId, model, expectedVersion, caller, now);
});
