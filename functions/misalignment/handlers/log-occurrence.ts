import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { logOccurrence, refuseImpossibleOccurrenceDate } from '#functions/misalignment/occurrences';

export const handler = defineHandler(misalignmentRoutes.logOccurrence, async ({ params, body, caller, now }) => {
  await refuseImpossibleOccurrenceDate(params.workspaceId, body.occurredOn, now);
  return logOccurrence(params.workspaceId, params.issueId, body, caller, now);
});
