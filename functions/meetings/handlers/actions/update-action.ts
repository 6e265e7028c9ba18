import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { updateActionStatus } from '#functions/meetings/service-outcomes';

export const handler = defineHandler(meetingRoutes.updateAction, async ({ params, body, caller, membership, now }) =>
  updateActionStatus(
    params.workspaceId,
    params.meetingId,
    params.actionId,
    body,
    membership.then((member) => ({ ...caller, role: member.role })),
    now,
  ),
);
