import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { listOpenActionsOf } from '#functions/meetings/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.listMyActions, async ({ params, query, caller }) => {
  const page = await listOpenActionsOf(params.workspaceId, caller.email, query);
  return { actions: page.items, nextCursor: page.nextCursor };
});
