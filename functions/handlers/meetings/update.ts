import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { updateMeeting } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.updateMeeting, async ({ params, body, caller, now }) =>
  updateMeeting(params.workspaceId, params.meetingId, body, caller, now),
);
