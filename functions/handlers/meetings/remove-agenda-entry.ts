import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { removeFromAgenda } from '../../store/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.removeAgendaEntry, async ({ params, query, caller, now }) => {
  await removeFromAgenda(params.workspaceId, params.meetingId, params.entryId, query.expectedVersion, caller, now);
  return { removed: true as const };
});
