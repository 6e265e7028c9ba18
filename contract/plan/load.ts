import type { PortfolioKind } from '#contract/portfolio/portfolio';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import type { ThresholdTerms } from '#contract/thresholds/thresholds';
import { addDays, workingDaysBetween } from '#contract/working-days';
import { type Period, type PlanGranularity, periodSpan, periodsOf, roundMoney } from './plan';

/**
 * The load view: the plan of each item and period against the capacity of
 * its threshold. A period's normal capacity is the weekly capacity × the
 * period's working days inside the cycle (its calendar: weekends and the
 * cycle's holidays off) / 5; the flex band adds the threshold's extra
 * capacity on top. The load of a cell is its plan, or the commitments
 * already recorded when they exceed the plan.
 */
export const capacityRule =
  "A period's capacity is the weekly capacity × its working days in the cycle's calendar / 5; the flex band adds the threshold's extra capacity percent on top.";

/** Below this share of normal capacity a period's capacity counts as unused. */
export const unusedBelowPercent = 50;

export const loadStatuses = ['within', 'flex', 'beyond', 'unused', 'noThreshold'] as const;
export type LoadStatus = (typeof loadStatuses)[number];

/** What each status says, for screens and files that show it as text. */
export const loadStatusLabels: Record<LoadStatus, string> = {
  within: 'Within normal',
  flex: 'Needs flex',
  beyond: 'Beyond flex',
  unused: 'Unused capacity',
  noThreshold: 'No threshold',
};

export interface LoadCell {
  period: Period;
  plan: number;
  committed: number;
  load: number;
  workingDays: number;
  /** Null without a threshold. */
  capacity: number | null;
  flexCapacity: number | null;
  status: LoadStatus;
  /** Overtime for every unit above normal capacity (up to the flex band) plus the setup of the period. */
  flexCost: number;
  /** Volume above the flex band: more than operations can deliver. */
  beyondVolume: number;
}

export interface LoadTotals {
  plan: number;
  committed: number;
  flexCost: number;
  beyondVolume: number;
}

export interface LoadItem extends LoadTotals {
  itemId: string;
  code: string;
  name: string;
  kind: PortfolioKind;
  family: string;
  /** The threshold the capacity comes from: agreed, or pending (not yet signed by both). */
  threshold: 'agreed' | 'pending' | 'none';
  thresholdVersion: number | null;
  currency: string | null;
  cells: LoadCell[];
}

export interface LoadFamily extends LoadTotals {
  family: string;
  /** Per period: plan, commitments, flex cost and volume beyond flex summed over the family's items. */
  cells: Array<{ period: Period } & LoadTotals>;
  items: LoadItem[];
}

export interface PlanLoadView extends LoadTotals {
  cycleId: string;
  granularity: PlanGranularity;
  periods: Period[];
  /** The days of each period inside the cycle: what a cell's commitments were counted over. */
  spans: Record<Period, { from: string; to: string }>;
  /** The rep whose commitments the view counts; null for everyone's. */
  rep: string | null;
  planVersion: number | null;
  capacityRule: string;
  unusedBelowPercent: number;
  /** Flex cost by currency, as the thresholds price it. */
  flexCostByCurrency: Record<string, number>;
  families: LoadFamily[];
}

/** Working days of a period inside the cycle. */
export function workingDaysIn(
  period: Period,
  granularity: PlanGranularity,
  cycle: Pick<BudgetCycle, 'startDate' | 'endDate' | 'holidays'>,
): number {
  const { from, to } = periodSpan(period, granularity, cycle);
  return from > to ? 0 : workingDaysBetween(addDays(from, -1), to, cycle.holidays);
}

type CapacityTerms = Pick<ThresholdTerms, 'capacityPerWeek' | 'flexExtraCapacityPercent' | 'overtimeCostPerUnit' | 'setupCost'>;

/** One cell of the load view, from its plan, commitments, working days and the threshold's terms (if any). */
export function loadCell(
  period: Period,
  plan: number,
  committed: number,
  workingDays: number,
  terms: CapacityTerms | null,
): LoadCell {
  const load = Math.max(plan, committed);
  const base = { period, plan, committed, load, workingDays };
  if (!terms) {
    return { ...base, capacity: null, flexCapacity: null, status: 'noThreshold', flexCost: 0, beyondVolume: 0 };
  }
  const capacity = roundMoney((terms.capacityPerWeek * workingDays) / 5);
  const flexCapacity = roundMoney(capacity * (1 + terms.flexExtraCapacityPercent / 100));
  if (load > flexCapacity) {
    const flexCost = roundMoney((flexCapacity - capacity) * terms.overtimeCostPerUnit + terms.setupCost);
    return { ...base, capacity, flexCapacity, status: 'beyond', flexCost, beyondVolume: roundMoney(load - flexCapacity) };
  }
  if (load > capacity) {
    const flexCost = roundMoney((load - capacity) * terms.overtimeCostPerUnit + terms.setupCost);
    return { ...base, capacity, flexCapacity, status: 'flex', flexCost, beyondVolume: 0 };
  }
  const status = load < (capacity * unusedBelowPercent) / 100 ? 'unused' : 'within';
  return { ...base, capacity, flexCapacity, status, flexCost: 0, beyondVolume: 0 };
}

export function sumTotals(parts: ReadonlyArray<LoadTotals>): LoadTotals {
  return parts.reduce<LoadTotals>(
    (sum, part) => ({
      plan: roundMoney(sum.plan + part.plan),
      committed: roundMoney(sum.committed + part.committed),
      flexCost: roundMoney(sum.flexCost + part.flexCost),
      beyondVolume: roundMoney(sum.beyondVolume + part.beyondVolume),
    }),
    { plan: 0, committed: 0, flexCost: 0, beyondVolume: 0 },
  );
}

/** The plan of one item beside its capacity fields: each period's volume and what it asks of a week. */
export interface PlanBesideCapacity {
  granularity: PlanGranularity;
  /** The plan's current version; null before the first save. */
  planVersion: number | null;
  periods: Array<{
    period: Period;
    volume: number;
    workingDays: number;
    /** The volume as a week's worth: volume × 5 / the period's working days. */
    perWeek: number;
  }>;
  totalVolume: number;
  /** The largest per-week equivalent: the weekly capacity that holds every period of the plan within normal. */
  peakPerWeek: number;
}

export function planBesideCapacity(
  volumes: Readonly<Record<Period, number>>,
  granularity: PlanGranularity,
  cycle: Pick<BudgetCycle, 'startDate' | 'endDate' | 'holidays'>,
  planVersion: number | null,
): PlanBesideCapacity {
  const periods = periodsOf(cycle, granularity).map((period) => {
    const volume = volumes[period] ?? 0;
    const workingDays = workingDaysIn(period, granularity, cycle);
    return { period, volume, workingDays, perWeek: workingDays > 0 ? roundMoney((volume * 5) / workingDays) : 0 };
  });
  return {
    granularity,
    planVersion,
    periods,
    totalVolume: roundMoney(periods.reduce((sum, entry) => sum + entry.volume, 0)),
    peakPerWeek: periods.reduce((peak, entry) => Math.max(peak, entry.perWeek), 0),
  };
}
