import { minutesMarkdown } from '../../domain/minutes';
import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { getFullMeeting } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.exportMinutes, async ({ params }) =>
  minutesMarkdown(await getFullMeeting(params.workspaceId, params.meetingId)),
);
