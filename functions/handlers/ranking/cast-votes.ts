import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { castVotes } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.castVotes, async ({ params, body, caller, now }) =>
  castVotes({ ...params, ...body, actor: caller, now }),
);
