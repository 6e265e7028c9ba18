import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { markAttendance } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.markAttendance, async ({ params, body, caller, member, now }) =>
  markAttendance(params.workspaceId, params.meetingId, params.email, body, { ...caller, role: member?.role ?? 'rep' }, now),
);
