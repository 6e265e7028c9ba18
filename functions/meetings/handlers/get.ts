import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { getFullMeeting } from '#functions/meetings/service-reads';

export const handler = defineHandler(meetingRoutes.getMeeting, async ({ params }) =>
  getFullMeeting(params.workspaceId, params.meetingId),
);
