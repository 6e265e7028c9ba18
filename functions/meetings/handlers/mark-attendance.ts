import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { markAttendance } from '#functions/meetings/service-attendance';

export const handler = defineHandler(meetingRoutes.markAttendance, async ({ params, body, caller, membership, now }) =>
  markAttendance(
    params.workspaceId,
    params.meetingId,
    params.email,
    body,
    membership.then((member) => ({ ...caller, role: member.role })),
    now,
  ),
);
