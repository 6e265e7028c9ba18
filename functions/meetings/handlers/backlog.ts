import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { meetingBacklog } from '#functions/meetings/service-backlog';

export const handler = defineHandler(meetingRoutes.getAgendaBacklog, async ({ params, query }) =>
  meetingBacklog(params.workspaceId, params.meetingId, query.limit, query.cycleId),
);
