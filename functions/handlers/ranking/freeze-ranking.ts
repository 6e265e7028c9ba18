import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { freezeRanking } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.freezeRanking, async ({ params, body, caller, now }) =>
  freezeRanking({ ...params, ...body, actor: caller, now }),
);
