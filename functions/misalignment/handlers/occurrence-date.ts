import { occurrenceDateRefusal } from '#contract/dates';
import { ValidationFailed } from '#functions/kernel/errors';
import { workspaceToday } from '#functions/workspaces/workspaces';

/** 400 naming `body.occurredOn` for a day after today (where the workspace works) or before the floor. */
export async function refuseImpossibleOccurrenceDate(workspaceId: string, occurredOn: string | undefined, now: string) {
  if (occurredOn === undefined) return;
  const refusal = occurrenceDateRefusal(occurredOn, await workspaceToday(workspaceId, now));
  if (refusal) throw new ValidationFailed([{ field: 'body.occurredOn', message: refusal }]);
}
