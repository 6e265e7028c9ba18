import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { agendaBacklog } from '#functions/meetings/backlog';
import { getFullMeeting } from '#functions/meetings/meetings';

export const handler = defineHandler(meetingRoutes.getAgendaBacklog, async ({ params, query }) => {
  const { meeting, agenda } = await getFullMeeting(params.workspaceId, params.meetingId);
  return agendaBacklog(
    params.workspaceId,
    meeting,
    agenda.map((entry) => entry.source),
    query.limit,
  );
});
