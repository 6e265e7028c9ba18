import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { logOccurrence } from '#functions/misalignment/misalignment';
import { refuseImpossibleOccurrenceDate } from './occurrence-date';

export const handler = defineHandler(misalignmentRoutes.logOccurrence, async ({ params, body, caller, now }) => {
  await refuseImpossibleOccurrenceDate(params.workspaceId, body.occurredOn, now);
  return logOccurrence(params.workspaceId, params.issueId, body, caller, now);
});
