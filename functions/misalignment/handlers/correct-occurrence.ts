import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { correctOccurrence, refuseImpossibleOccurrenceDate } from '#functions/misalignment/occurrences';

export const handler = defineHandler(misalignmentRoutes.correctOccurrence, async ({ params, body, caller, membership, now }) => {
  await refuseImpossibleOccurrenceDate(params.workspaceId, body.occurredOn, now);
  const { expectedVersion, ...patch } = body;
  return correctOccurrence(
    params.workspaceId,
    params.issueId,
    params.occurrenceId,
    patch,
    expectedVersion,
    caller,
    membership,
    now,
  );
});
