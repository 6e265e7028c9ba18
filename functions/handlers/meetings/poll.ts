import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { getMeetingRevision } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.pollMeeting, async ({ params, query }) => {
  const { revision, state } = await getMeetingRevision(params.workspaceId, params.meetingId);
  return { revision, state, changed: query.since === undefined || query.since !== revision };
});
