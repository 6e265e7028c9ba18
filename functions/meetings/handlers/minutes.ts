import { minutesMarkdown } from '#contract/meetings/minutes';
import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { getFullMeeting } from '#functions/meetings/meetings';
import { minutesLabels } from '#functions/meetings/minutes';

export const handler = defineHandler(meetingRoutes.exportMinutes, async ({ params }) => {
  const full = await getFullMeeting(params.workspaceId, params.meetingId);
  return minutesMarkdown(full, await minutesLabels(params.workspaceId, full.outcomes));
});
