import type { CommitmentStatus } from '#contract/catalogue/commitments';
import { compareText } from '#contract/text-order';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import { type Period, type PlanGranularity, periodOf, roundMoney } from './plan';

/**
 * Plan against actual: what sales committed in each period (the commitments
 * recorded, by promised date) against what it planned, and the items sold
 * far above plan while the rest of their family lags — the sign that a quota
 * pushes sales toward one item.
 */

/** An item is signalled when its commitments reach this share of its plan… */
export const signalAbovePercent = 130;
/** …while the other planned items of its family together reach at most this share of theirs. */
export const signalOthersAtMostPercent = 80;

export const attainmentRule =
  `An item is signalled when its commitments in the cycle reach ${signalAbovePercent} % of its plan or more while the ` +
  `family's other planned items together reach ${signalOthersAtMostPercent} % of theirs or less. Commitments count ` +
  'by promised date unless cancelled or declined.';

/** Commitments that count as sold: every one but those cancelled or declined. */
const notSold = new Set<string>(['cancelled', 'declined']);
export const countsAsSold = (status: CommitmentStatus) => !notSold.has(status);

interface DatedCommitment {
  itemId: string;
  quantity: number;
  promisedDate: string;
  status: CommitmentStatus;
}

/**
 * The quantity committed per item and period (`<itemId>|<period>`), by
 * promised date, of the commitments inside the cycle that `counts` keeps.
 */
export function committedByItemPeriod(
  commitments: Iterable<DatedCommitment>,
  cycle: Pick<BudgetCycle, 'startDate' | 'endDate'>,
  granularity: PlanGranularity,
  counts: (status: CommitmentStatus) => boolean,
): Map<string, number> {
  const committed = new Map<string, number>();
  for (const commitment of commitments) {
    if (!counts(commitment.status)) continue;
    if (commitment.promisedDate < cycle.startDate || commitment.promisedDate > cycle.endDate) continue;
    const key = `${commitment.itemId}|${periodOf(commitment.promisedDate, granularity)}`;
    committed.set(key, roundMoney((committed.get(key) ?? 0) + commitment.quantity));
  }
  return committed;
}

/** Committed as a percentage of plan, one decimal; null when nothing was planned. */
export function attainmentPercent(plan: number, committed: number): number | null {
  return plan > 0 ? Math.round((committed / plan) * 1000) / 10 : null;
}

export interface AttainmentFigures {
  plan: number;
  committed: number;
  /** Null when nothing was planned. */
  attainmentPercent: number | null;
}

export interface AttainmentCell extends AttainmentFigures {
  period: Period;
}

export interface AttainmentItem extends AttainmentFigures {
  itemId: string;
  code: string;
  name: string;
  family: string;
  cells: AttainmentCell[];
  /** Sold far above plan while the family's other items lag (see `attainmentRule`). */
  signalled: boolean;
}

export interface AttainmentFamily extends AttainmentFigures {
  family: string;
  cells: AttainmentCell[];
  items: AttainmentItem[];
}

/** A signalled item with the figures that raised it. */
export interface AttainmentSignal {
  itemId: string;
  code: string;
  name: string;
  family: string;
  plan: number;
  committed: number;
  attainmentPercent: number;
  /** The family's other planned items together. */
  othersPlan: number;
  othersCommitted: number;
  othersPercent: number;
}

export interface PlanAttainmentView extends AttainmentFigures {
  cycleId: string;
  cycleName: string;
  granularity: PlanGranularity;
  periods: Period[];
  planVersion: number | null;
  rule: string;
  signalAbovePercent: number;
  signalOthersAtMostPercent: number;
  signals: AttainmentSignal[];
  families: AttainmentFamily[];
}

export const figures = (plan: number, committed: number): AttainmentFigures => ({
  plan: roundMoney(plan),
  committed: roundMoney(committed),
  attainmentPercent: attainmentPercent(plan, committed),
});

export function sumFigures(parts: ReadonlyArray<Pick<AttainmentFigures, 'plan' | 'committed'>>): AttainmentFigures {
  return figures(
    parts.reduce((sum, part) => sum + part.plan, 0),
    parts.reduce((sum, part) => sum + part.committed, 0),
  );
}

/** The signal of one item of a family, or null: see `attainmentRule`. */
export function attainmentSignal(item: AttainmentItem, family: readonly AttainmentItem[]): AttainmentSignal | null {
  if (item.plan <= 0 || item.committed * 100 < item.plan * signalAbovePercent) return null;
  const others = family.filter((other) => other.itemId !== item.itemId && other.plan > 0);
  if (others.length === 0) return null;
  const { plan: othersPlan, committed: othersCommitted } = sumFigures(others);
  if (othersCommitted * 100 > othersPlan * signalOthersAtMostPercent) return null;
  return {
    itemId: item.itemId,
    code: item.code,
    name: item.name,
    family: item.family,
    plan: item.plan,
    committed: item.committed,
    attainmentPercent: attainmentPercent(item.plan, item.committed) ?? 0,
    othersPlan,
    othersCommitted,
    othersPercent: attainmentPercent(othersPlan, othersCommitted) ?? 0,
  };
}

/** Items and families from each item's planned volumes and committed quantities per period. */
export function attainmentFamilies(
  items: ReadonlyArray<{ itemId: string; code: string; name: string; family: string; volumes: Record<Period, number> }>,
  committed: ReadonlyMap<string, number>,
  periods: readonly Period[],
): { families: AttainmentFamily[]; signals: AttainmentSignal[] } {
  const rows: AttainmentItem[] = items.map((item) => {
    const cells = periods.map((period) => ({
      period,
      ...figures(item.volumes[period] ?? 0, committed.get(`${item.itemId}|${period}`) ?? 0),
    }));
    return {
      itemId: item.itemId,
      code: item.code,
      name: item.name,
      family: item.family,
      cells,
      signalled: false,
      ...sumFigures(cells),
    };
  });
  const byFamily = new Map<string, AttainmentItem[]>();
  for (const row of rows) byFamily.set(row.family, [...(byFamily.get(row.family) ?? []), row]);
  const signals: AttainmentSignal[] = [];
  const families = [...byFamily.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : compareText(a, b)))
    .map(([family, members]) => {
      const sorted = members
        .map((member) => {
          const signal = family === '' ? null : attainmentSignal(member, members);
          if (signal) signals.push(signal);
          return { ...member, signalled: signal !== null };
        })
        .sort((a, b) => compareText(a.code, b.code));
      return {
        family,
        cells: periods.map((period, index) => ({
          period,
          ...sumFigures(sorted.flatMap((member) => (member.cells[index] ? [member.cells[index]] : []))),
        })),
        items: sorted,
        ...sumFigures(sorted),
      };
    });
  return { families, signals: signals.sort((a, b) => b.attainmentPercent - a.attainmentPercent) };
}
