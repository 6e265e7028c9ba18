import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { reorderAgenda } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.reorderAgenda, async ({ params, body, caller, now }) =>
  reorderAgenda(params.workspaceId, params.meetingId, body.order, body.expectedAgendaVersion, caller, now),
);
