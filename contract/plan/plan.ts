import type { PortfolioKind } from '#contract/portfolio/portfolio';
import type { BudgetCycle, CycleState } from '#contract/thresholds/cycles';
import { addDays, earliestDate, latestDate, weekOf, weeksFrom } from '#contract/working-days';

/**
 * The sales plan of a budget cycle: the volume sales plans to sell of each
 * portfolio item in each period of the cycle (months by default, weeks when
 * the plan is set to weeks), and its value: volume × list price unless the
 * cell carries a value of its own.
 */
export const planGranularities = ['month', 'week'] as const;
export type PlanGranularity = (typeof planGranularities)[number];

/** A period: `YYYY-MM` for a month, the Monday `YYYY-MM-DD` for a week. */
export type Period = string;

/** One cell as written: a volume and, when it overrides volume × list price, its value. */
export interface PlanCellInput {
  code: string;
  period: Period;
  volume: number;
  value?: number | null;
}

/** An item's stored cells: volumes by period, and the values that override volume × list price. */
export interface PlanLine {
  itemId: string;
  volumes: Record<Period, number>;
  values: Record<Period, number>;
}

export interface SalesPlanItem {
  itemId: string;
  code: string;
  name: string;
  kind: PortfolioKind;
  unit: string;
  family: string;
  listPrice: number | null;
  volumes: Record<Period, number>;
  /** The value of each planned period: its override, else volume × list price (0 without a price). */
  values: Record<Period, number>;
  overrides: Record<Period, number>;
  totalVolume: number;
  totalValue: number;
}

export interface SalesPlanFamily {
  /** The empty string groups the items without a family. */
  family: string;
  volumes: Record<Period, number>;
  totalVolume: number;
  totalValue: number;
  items: SalesPlanItem[];
}

export interface SalesPlanView {
  cycleId: string;
  cycleName: string;
  /** The cycle's dates, which a screen passes on to the plan-against-actual read. */
  cycleStartDate: string;
  cycleEndDate: string;
  cycleState: CycleState;
  /** Whether the plan may still change: not once the cycle is agreed. */
  editable: boolean;
  granularity: PlanGranularity;
  periods: Period[];
  /** The current version; null before the first save. */
  version: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
  families: SalesPlanFamily[];
  totalVolume: number;
  totalValue: number;
}

/** What a save or an apply wrote. */
export interface SalesPlanSaved {
  /** The version now current; null when nothing was ever saved. */
  version: number | null;
  changedCells: number;
  totalVolume: number;
  totalValue: number;
}

/** The plan is entered while the cycle is planned; an agreed or closed cycle keeps the plan it was agreed with. */
export function planEditable(state: CycleState): boolean {
  return state === 'draft' || state === 'planning';
}

const monthOf = (date: string) => date.slice(0, 7);

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** The periods of a cycle, in order: every month (or week) it touches. */
export function periodsOf(cycle: Pick<BudgetCycle, 'startDate' | 'endDate'>, granularity: PlanGranularity): Period[] {
  if (granularity === 'week') return weeksFrom(cycle.startDate, cycle.endDate);
  const months: Period[] = [];
  for (let month = monthOf(cycle.startDate); month <= monthOf(cycle.endDate); month = nextMonth(month)) months.push(month);
  return months;
}

/** The period a date falls in. */
export function periodOf(date: string, granularity: PlanGranularity): Period {
  return granularity === 'week' ? weekOf(date) : monthOf(date);
}

/** The first and last day of a period that lie inside the cycle. */
export function periodSpan(
  period: Period,
  granularity: PlanGranularity,
  cycle: Pick<BudgetCycle, 'startDate' | 'endDate'>,
): { from: string; to: string } {
  const start = granularity === 'week' ? period : `${period}-01`;
  const end = granularity === 'week' ? addDays(period, 6) : addDays(`${nextMonth(period)}-01`, -1);
  return {
    from: latestDate(start, cycle.startDate),
    to: earliestDate(end, cycle.endDate),
  };
}

export const roundMoney = (value: number) => Math.round(value * 100) / 100;

/** A cell's value: its override, else volume × list price, else nothing to price it with (0). */
export function cellValue(volume: number, override: number | undefined, listPrice: number | null): number {
  if (override !== undefined) return override;
  return listPrice === null ? 0 : roundMoney(volume * listPrice);
}
