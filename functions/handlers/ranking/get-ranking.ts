import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { liveRanking } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.getRanking, async ({ params, query, caller, now }) =>
  liveRanking({ ...params, ...query, caller, now }),
);
