import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { pollMeeting } from '#functions/meetings/service-reads';

export const handler = defineHandler(meetingRoutes.pollMeeting, async ({ params, query }) =>
  pollMeeting(params.workspaceId, params.meetingId, query.since),
);
