import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { getScoringModel } from '#functions/misalignment/scoring-model';

export const handler = defineHandler(misalignmentRoutes.getScoringModel, async ({ params }) =>
  getScoringModel(params.workspaceId),
);
