import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { agendaBacklog } from '../../store/backlog';
import { getFullMeeting } from '../../store/meetings';

export const handler = defineHandler(meetingRoutes.getAgendaBacklog, async ({ params, query }) => {
  const { meeting, agenda } = await getFullMeeting(params.workspaceId, params.meetingId);
  return agendaBacklog(
    params.workspaceId,
    meeting,
    agenda.map((entry) => entry.source),
    query.limit,
  );
});
