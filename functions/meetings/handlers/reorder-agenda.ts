import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { reorderAgenda } from '#functions/meetings/service-agenda';

export const handler = defineHandler(meetingRoutes.reorderAgenda, async ({ params, body, caller, now }) =>
  reorderAgenda(params.workspaceId, params.meetingId, body.order, body.expectedAgendaVersion, caller, now),
);
