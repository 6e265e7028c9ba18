import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { saveScoringModel } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.saveScoringModel, async ({ params, body, caller, now }) => {
  const { expectedVersion, ...model } = body;
  return saveScoringModel(params.workspaceId, model, expectedVersion, caller, now);
});
