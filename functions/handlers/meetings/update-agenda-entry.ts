import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { updateAgendaEntry } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.updateAgendaEntry, async ({ params, body, caller, now }) =>
  updateAgendaEntry(params.workspaceId, params.meetingId, params.entryId, body, caller, now),
);
