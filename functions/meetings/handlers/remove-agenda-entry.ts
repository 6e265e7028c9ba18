import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { removeAgendaEntry } from '#functions/meetings/service-agenda';

export const handler = defineHandler(meetingRoutes.removeAgendaEntry, async ({ params, query, caller, now }) => {
  await removeAgendaEntry(params.workspaceId, params.meetingId, params.entryId, query.expectedVersion, caller, now);
  return { removed: true as const };
});
