import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { createMeeting } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.createMeeting, async ({ params, body, caller, now }) =>
  createMeeting(params.workspaceId, body, caller, now),
);
