import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { changeMeetingState } from '#functions/meetings/service-lifecycle';

export const handler = defineHandler(meetingRoutes.changeMeetingState, async ({ params, query, body, caller, membership, now }) =>
  changeMeetingState(
    params.workspaceId,
    params.meetingId,
    body.to,
    body.expectedVersion,
    membership.then((member) => ({ ...caller, role: member.role })),
    now,
    query.cycleId,
  ),
);
