import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { removeAgendaEntry } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.removeAgendaEntry, async ({ params, query, caller, now }) => {
  await removeAgendaEntry(params.workspaceId, params.meetingId, params.entryId, query.expectedVersion, caller, now);
  return { removed: true as const };
});
