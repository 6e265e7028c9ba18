import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { addToAgenda } from '../../store/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.addAgendaEntry, async ({ params, body, caller, now }) =>
  addToAgenda(params.workspaceId, params.meetingId, body, caller, now),
);
