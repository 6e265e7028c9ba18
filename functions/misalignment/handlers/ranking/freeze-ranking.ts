import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { freezeRanking } from '#functions/misalignment/ranking';

export const handler = defineHandler(misalignmentRoutes.freezeRanking, async ({ params, body, caller, now }) =>
  freezeRanking({ ...params, ...body, actor: caller, now }),
);
