import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { removeFromAgenda } from '#functions/meetings/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.removeAgendaEntry, async ({ params, query, caller, now }) => {
  await removeFromAgenda(params.workspaceId, params.meetingId, params.entryId, query.expectedVersion, caller, now);
  return { removed: true as const };
});
