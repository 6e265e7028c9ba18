import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { listMyActions } from '#functions/meetings/service-outcomes';

export const handler = defineHandler(meetingRoutes.listMyActions, async ({ params, query, caller }) =>
  listMyActions(params.workspaceId, caller.email, query),
);
