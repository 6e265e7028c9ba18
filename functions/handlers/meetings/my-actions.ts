import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { listOpenActionsOf } from '../../store/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.listMyActions, async ({ params, caller }) => ({
  actions: await listOpenActionsOf(params.workspaceId, caller.email),
}));
