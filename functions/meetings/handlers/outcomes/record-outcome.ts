import { dueDateRefusal } from '#contract/dates';
import { meetingRoutes } from '#contract/meetings/routes';
import { ValidationFailed } from '#functions/kernel/errors';
import { defineHandler } from '#functions/kernel/http';
import { recordOutcome } from '#functions/meetings/meeting-outcomes';
import { workspaceToday } from '#functions/workspaces/workspaces';

export const handler = defineHandler(meetingRoutes.recordOutcome, async ({ params, body, caller, now }) => {
  if (body.kind === 'action') {
    const refusal = dueDateRefusal(body.dueDate, await workspaceToday(params.workspaceId, now));
    if (refusal) throw new ValidationFailed([{ field: 'body.dueDate', message: refusal }]);
  }
  return recordOutcome(params.workspaceId, params.meetingId, body, caller, now);
});
