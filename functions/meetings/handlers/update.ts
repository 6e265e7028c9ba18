import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { updateMeeting } from '#functions/meetings/service-lifecycle';

export const handler = defineHandler(meetingRoutes.updateMeeting, async ({ params, body, caller, now }) =>
  updateMeeting(params.workspaceId, params.meetingId, body, caller, now),
);
