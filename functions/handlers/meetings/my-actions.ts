import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { listOpenActionsOf } from '../../store/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.listMyActions, async ({ params, query, caller }) => {
  const page = await listOpenActionsOf(params.workspaceId, caller.email, query);
  return { actions: page.items, nextCursor: page.nextCursor };
});
