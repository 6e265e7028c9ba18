import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { addToAgenda } from '#functions/meetings/meeting-outcomes';

export const handler = defineHandler(meetingRoutes.addAgendaEntry, async ({ params, body, caller, now }) =>
  addToAgenda(params.workspaceId, params.meetingId, body, caller, now),
);
