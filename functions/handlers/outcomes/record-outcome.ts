import { dueDateRefusal } from '../../domain/dates';
import { ValidationFailed } from '../../lib/errors';
import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { recordOutcome } from '../../store/meeting-outcomes';
import { workspaceToday } from '../../store/workspaces';

export const handler = defineHandler(meetingRoutes.recordOutcome, async ({ params, body, caller, now }) => {
  if (body.kind === 'action') {
    const refusal = dueDateRefusal(body.dueDate, await workspaceToday(params.workspaceId, now));
    if (refusal) throw new ValidationFailed([{ field: 'body.dueDate', message: refusal }]);
  }
  return recordOutcome(params.workspaceId, params.meetingId, body, caller, now);
});
