import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { createMeeting } from '#functions/meetings/service-lifecycle';

export const handler = defineHandler(meetingRoutes.createMeeting, async ({ params, body, caller, now }) =>
  createMeeting(params.workspaceId, body, caller, now),
);
