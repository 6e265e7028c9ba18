import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { castVotes } from '#functions/misalignment/votes';

export const handler = defineHandler(misalignmentRoutes.castVotes, async ({ params, body, caller, now }) =>
  castVotes({ ...params, ...body, actor: caller, now }),
);
