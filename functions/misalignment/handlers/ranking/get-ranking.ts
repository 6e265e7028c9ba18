import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { liveRanking } from '#functions/misalignment/ranking';

export const handler = defineHandler(misalignmentRoutes.getRanking, async ({ params, query, caller, now }) =>
  liveRanking({ ...params, ...query, caller, now }),
);
