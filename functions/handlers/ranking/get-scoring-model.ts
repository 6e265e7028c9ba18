import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { getScoringModel } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.getScoringModel, async ({ params }) =>
  getScoringModel(params.workspaceId),
);
