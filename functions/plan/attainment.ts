import type { Commitment } from '#contract/catalogue/commitments';
import {
  attainmentFamilies,
  attainmentRule,
  committedByItemPeriod,
  countsAsSold,
  type PlanAttainmentView,
  signalAbovePercent,
  signalOthersAtMostPercent,
  sumFigures,
} from '#contract/plan/attainment';
import { periodsOf } from '#contract/plan/plan';
import { refuse } from '#contract/refusal';
import { commitmentsDeliveredBetween } from '#functions/catalogue/entities';
import { readPlan } from '#functions/plan-record/stored-plan';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { getCycle } from '#functions/thresholds/entities-cycles';

/** The cycle's dates as the caller knows them, so the commitments need not wait for the cycle. */
export interface CycleDates {
  from?: string;
  to?: string;
}

/**
 * Plan against actual of a cycle. The commitments are read by promised date
 * (gsi1) over the cycle's dates: with the dates the caller gives they go out
 * beside the cycle, the plan and the portfolio, one round trip; when the
 * caller gives none, or dates the cycle no longer has, they follow the cycle
 * (two), so the answer always covers the cycle as it is.
 */
export async function getPlanAttainmentOf(workspaceId: string, cycleId: string, dates: CycleDates): Promise<PlanAttainmentView> {
  const hinted = dates.from && dates.to ? commitmentsDeliveredBetween(workspaceId, dates.from, dates.to) : Promise.resolve(null);
  const [cycle, plan, items, early] = await Promise.all([
    getCycle(workspaceId, cycleId),
    readPlan(workspaceId, cycleId),
    allPortfolioItems(workspaceId),
    hinted,
  ]);
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  const commitments: Commitment[] =
    early && dates.from === cycle.startDate && dates.to === cycle.endDate
      ? early
      : await commitmentsDeliveredBetween(workspaceId, cycle.startDate, cycle.endDate);
  const granularity = plan.head?.granularity ?? 'month';
  const periods = periodsOf(cycle, granularity);
  const committed = committedByItemPeriod(commitments, cycle, granularity, countsAsSold);
  const sold = new Set([...committed.keys()].map((key) => key.slice(0, key.indexOf('|'))));
  const { families, signals } = attainmentFamilies(
    items
      .filter((item) => plan.lines.has(item.id) || sold.has(item.id))
      .map((item) => ({ ...item, itemId: item.id, volumes: plan.lines.get(item.id)?.volumes ?? {} })),
    committed,
    periods,
  );
  return {
    cycleId: cycle.id,
    cycleName: cycle.name,
    granularity,
    periods,
    planVersion: plan.head?.version ?? null,
    rule: attainmentRule,
    signalAbovePercent,
    signalOthersAtMostPercent,
    signals,
    families,
    ...sumFigures(families),
  };
}
