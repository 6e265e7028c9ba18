import { committedByItemPeriod } from '#contract/plan/attainment';
import {
  capacityRule,
  type LoadFamily,
  type LoadItem,
  loadCell,
  type PlanLoadView,
  sumTotals,
  unusedBelowPercent,
  workingDaysIn,
} from '#contract/plan/load';
import { periodSpan, periodsOf, roundMoney } from '#contract/plan/plan';
import type { PortfolioKind } from '#contract/portfolio/portfolio';
import { refuse } from '#contract/refusal';
import { compareText } from '#contract/text-order';
import type { ThresholdHead, ThresholdVersion } from '#contract/thresholds/thresholds';
import { commitmentsDeliveredBetween } from '#functions/catalogue/entities';
import { readPlan } from '#functions/plan-record/stored-plan';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { allCycleThresholds } from '#functions/thresholds/entities';
import { getCycle } from '#functions/thresholds/entities-cycles';

/** The threshold whose capacity counts: the agreed version, else the latest one, marked pending. */
function capacitySource(head: ThresholdHead | undefined): { status: LoadItem['threshold']; version: ThresholdVersion | null } {
  if (!head) return { status: 'none', version: null };
  if (head.agreed) return { status: 'agreed', version: head.agreed };
  return { status: 'pending', version: head.latest };
}

/**
 * The load view of a cycle. Cycle, plan, portfolio, the cycle's thresholds
 * go out at once; the commitments delivered in the cycle follow the cycle:
 * two round trips, whatever the plan's size.
 */
const holdsCapacity = new Set<string>(['awaiting approval', 'approved', 'delivered']);

export async function getPlanLoadOf(
  workspaceId: string,
  cycleId: string,
  filter: { kind?: PortfolioKind; family?: string; rep?: string },
): Promise<PlanLoadView> {
  const reading = getCycle(workspaceId, cycleId);
  // The commitments follow the cycle as soon as it arrives, while the other reads are still out.
  const [cycle, plan, items, thresholds, commitments] = await Promise.all([
    reading,
    readPlan(workspaceId, cycleId),
    allPortfolioItems(workspaceId),
    allCycleThresholds(workspaceId, cycleId),
    reading.then((found) => (found ? commitmentsDeliveredBetween(workspaceId, found.startDate, found.endDate, filter.rep) : [])),
  ]);
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  const granularity = plan.head?.granularity ?? 'month';
  const periods = periodsOf(cycle, granularity);
  const workingDays = new Map(periods.map((period) => [period, workingDaysIn(period, granularity, cycle)]));
  const headByItem = new Map(thresholds.map((head) => [head.itemId, head]));
  // What holds capacity: waiting for approval, approved, or delivered; not cancelled, declined or missed.
  const committed = committedByItemPeriod(commitments, cycle, granularity, (status) => holdsCapacity.has(status));
  const loadItems: LoadItem[] = items
    .filter((item) => (!item.archived || plan.lines.has(item.id)) && (!filter.kind || item.kind === filter.kind))
    .filter((item) => filter.family === undefined || item.family === filter.family)
    .map((item) => {
      const source = capacitySource(headByItem.get(item.id));
      const terms = source.version?.terms ?? null;
      const volumes = plan.lines.get(item.id)?.volumes ?? {};
      const cells = periods.map((period) =>
        loadCell(period, volumes[period] ?? 0, committed.get(`${item.id}|${period}`) ?? 0, workingDays.get(period) ?? 0, terms),
      );
      return {
        itemId: item.id,
        code: item.code,
        name: item.name,
        kind: item.kind,
        family: item.family,
        threshold: source.status,
        thresholdVersion: source.version?.version ?? null,
        currency: terms?.currency ?? null,
        cells,
        ...sumTotals(cells),
      };
    });
  const families = familiesOf(loadItems, periods);
  const flexCostByCurrency: Record<string, number> = {};
  for (const item of loadItems) {
    if (item.currency && item.flexCost > 0) {
      flexCostByCurrency[item.currency] = roundMoney((flexCostByCurrency[item.currency] ?? 0) + item.flexCost);
    }
  }
  return {
    cycleId: cycle.id,
    granularity,
    periods,
    spans: Object.fromEntries(periods.map((period) => [period, periodSpan(period, granularity, cycle)])),
    rep: filter.rep ?? null,
    planVersion: plan.head?.version ?? null,
    capacityRule,
    unusedBelowPercent,
    flexCostByCurrency,
    families,
    ...sumTotals(families),
  };
}

function familiesOf(items: readonly LoadItem[], periods: readonly string[]): LoadFamily[] {
  const byFamily = new Map<string, LoadItem[]>();
  for (const item of items) byFamily.set(item.family, [...(byFamily.get(item.family) ?? []), item]);
  return [...byFamily.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : compareText(a, b)))
    .map(([family, members]) => ({
      family,
      cells: periods.map((period, index) => ({
        period,
        ...sumTotals(members.flatMap((member) => (member.cells[index] ? [member.cells[index]] : []))),
      })),
      items: members.sort((a, b) => compareText(a.code, b.code)),
      ...sumTotals(members),
    }));
}
