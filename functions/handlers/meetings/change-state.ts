import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { moveMeeting } from '../../store/meeting-outcomes';

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
