import { type KeptScope, keptRateOf, type PromiseKeptRate } from '#contract/catalogue/kept-rate';
import { maxKeptWeeks } from '#contract/catalogue/schemas-deliveries';
import { todayIn } from '#contract/dates';
import { refuse } from '#contract/refusal';
import { addDays, weekOf, weeksFrom } from '#contract/working-days';
import { queryKeptWeeks } from './deliveries-entities';

/**
 * Weeks a kept rate covers when not told: half a year of promised dates
 * either side of this week, since a promise is often settled before its date.
 */
const weeksEachSide = 26;
const weekMs = 7 * 24 * 60 * 60 * 1000;

/**
 * The promise-kept rate of one scope, week by week, from its counters: one
 * Query of at most 104 small items, however many commitments they count.
 * The weeks default to 26 either side of the current UTC week (the workspace's
 * day would cost a read more; a week's edge moving by a time zone does not
 * change which counters exist).
 */
export async function promiseKeptRate(
  workspaceId: string,
  query: { scope: KeptScope; scopeId?: string; from?: string; to?: string },
  now: string,
): Promise<PromiseKeptRate> {
  const scopeId = query.scope === 'workspace' ? workspaceId : query.scopeId;
  if (scopeId === undefined) throw refuse.invalid(`must name the ${query.scope} the rate is for`, 'query.scopeId');
  const thisWeek = weekOf(todayIn('UTC', now));
  const to = weekOf(query.to ?? addDays(thisWeek, 7 * weeksEachSide));
  const from = weekOf(query.from ?? addDays(query.to ? to : thisWeek, -7 * weeksEachSide));
  if (from > to) throw refuse.invalid('must not be after to', 'query.from');
  if ((Date.parse(to) - Date.parse(from)) / weekMs >= maxKeptWeeks) {
    throw refuse.invalid(`must be less than ${maxKeptWeeks} weeks before to`, 'query.from');
  }
  const weeks = weeksFrom(from, to);
  const found = await queryKeptWeeks(workspaceId, query.scope, scopeId, from, to);
  return keptRateOf({ scope: query.scope, scopeId }, weeks, found);
}
