import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { getFullMeeting } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.getMeeting, async ({ params }) =>
  getFullMeeting(params.workspaceId, params.meetingId),
);
