import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { updateActionStatus } from '../../store/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.updateAction, async ({ params, body, caller, member, now }) =>
  updateActionStatus(
    params.workspaceId,
    params.meetingId,
    params.actionId,
    body,
    { ...caller, role: member?.role ?? 'rep' },
    now,
  ),
);
