import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { listMeetings } from '#functions/meetings/service-reads';

export const handler = defineHandler(meetingRoutes.listMeetings, async ({ params, query }) =>
  listMeetings(params.workspaceId, query),
);
