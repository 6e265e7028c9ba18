import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { addAgendaEntry } from '#functions/meetings/service-agenda';

export const handler = defineHandler(meetingRoutes.addAgendaEntry, async ({ params, body, caller, now }) =>
  addAgendaEntry(params.workspaceId, params.meetingId, body, caller, now),
);
