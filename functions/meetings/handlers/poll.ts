import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { getMeetingRevision } from '#functions/meetings/meetings';

export const handler = defineHandler(meetingRoutes.pollMeeting, async ({ params, query }) => {
  const { revision, state } = await getMeetingRevision(params.workspaceId, params.meetingId);
  return { revision, state, changed: query.since === undefined || query.since !== revision };
});
