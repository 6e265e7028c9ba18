import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { logOccurrence } from '../../store/misalignment';
import { refuseImpossibleOccurrenceDate } from './occurrence-date';

export const handler = defineHandler(misalignmentRoutes.logOccurrence, async ({ params, body, caller, now }) => {
  await refuseImpossibleOccurrenceDate(params.workspaceId, body.occurredOn, now);
  return logOccurrence(params.workspaceId, params.issueId, body, caller, now);
});
