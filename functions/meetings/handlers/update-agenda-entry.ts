import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { updateAgendaEntry } from '#functions/meetings/service-agenda';

export const handler = defineHandler(meetingRoutes.updateAgendaEntry, async ({ params, body, caller, now }) =>
  updateAgendaEntry(params.workspaceId, params.meetingId, params.entryId, body, caller, now),
);
