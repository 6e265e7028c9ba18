import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { moveMeeting } from '#functions/meetings/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.changeMeetingState, async ({ params, body, caller, member, now }) =>
  moveMeeting(
    params.workspaceId,
    params.meetingId,
    body.to,
    body.expectedVersion,
    { ...caller, role: member?.role ?? 'rep' },
    now,
  ),
);
