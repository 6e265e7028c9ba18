import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { recordOutcome } from '../../store/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.recordOutcome, async ({ params, body, caller, now }) =>
  recordOutcome(params.workspaceId, params.meetingId, body, caller, now),
);
