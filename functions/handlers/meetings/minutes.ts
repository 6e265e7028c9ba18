import { minutesMarkdown } from '../../domain/minutes';
import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { getFullMeeting } from '../../store/meetings';
import { minutesLabels } from '../../store/minutes';

export const handler = defineHandler(meetingRoutes.exportMinutes, async ({ params }) => {
  const full = await getFullMeeting(params.workspaceId, params.meetingId);
  return minutesMarkdown(full, await minutesLabels(params.workspaceId, full.outcomes));
});
