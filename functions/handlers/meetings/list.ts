import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { listMeetings } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.listMeetings, async ({ params, query }) =>
  listMeetings(params.workspaceId, query),
);
