import type { Period, PlanLine } from './plan';

/** A cell resolved against the portfolio and the cycle: the item it names and what it sets. */
export interface ResolvedCell {
  itemId: string;
  code: string;
  period: Period;
  volume: number;
  /** Null: the value follows volume × list price. */
  value: number | null;
}

export interface CellChange {
  code: string;
  period: Period;
  before: { volume: number; value: number | null } | null;
  after: { volume: number; value: number | null };
}

/** What a cell holds now: null when it was never planned (or planned at 0 without a value). */
export function cellBefore(line: PlanLine | undefined, period: Period): { volume: number; value: number | null } | null {
  if (!line) return null;
  const volume = line.volumes[period];
  const value = line.values[period];
  if (volume === undefined && value === undefined) return null;
  return { volume: volume ?? 0, value: value ?? null };
}

const sameCell = (a: { volume: number; value: number | null } | null, b: { volume: number; value: number | null }) =>
  (a?.volume ?? 0) === b.volume && (a?.value ?? null) === b.value;

/** Whether a cell sets what the plan already holds. */
export function cellUnchanged(line: PlanLine | undefined, cell: Pick<ResolvedCell, 'period' | 'volume' | 'value'>): boolean {
  return sameCell(cellBefore(line, cell.period), cell);
}

/**
 * The plan's lines with the cells applied. Cells not named keep what they
 * held; a cell set to 0 without a value is dropped, so the stored plan only
 * holds what was planned.
 */
export function applyCells(
  lines: ReadonlyMap<string, PlanLine>,
  cells: readonly ResolvedCell[],
): { lines: Map<string, PlanLine>; changes: CellChange[] } {
  const next = new Map<string, PlanLine>();
  for (const [itemId, line] of lines) next.set(itemId, { itemId, volumes: { ...line.volumes }, values: { ...line.values } });
  const changes: CellChange[] = [];
  for (const cell of cells) {
    const line = next.get(cell.itemId) ?? { itemId: cell.itemId, volumes: {}, values: {} };
    const before = cellBefore(line, cell.period);
    const after = { volume: cell.volume, value: cell.value };
    if (sameCell(before, after)) continue;
    changes.push({ code: cell.code, period: cell.period, before, after });
    if (cell.volume === 0 && cell.value === null) delete line.volumes[cell.period];
    else line.volumes[cell.period] = cell.volume;
    if (cell.value === null) delete line.values[cell.period];
    else line.values[cell.period] = cell.value;
    if (Object.keys(line.volumes).length === 0 && Object.keys(line.values).length === 0) next.delete(cell.itemId);
    else next.set(cell.itemId, line);
  }
  return { lines: next, changes };
}

/** Where each problem of a cell is named: `cells[3] (PUMP-1, 2027-02)` for a save, `row 4` for a file. */
export interface CellProblem {
  field: string;
  message: string;
}

/**
 * The problems of cells against the items (by code) and the cycle's periods:
 * an unknown item, a period outside the cycle, a cell named twice.
 */
export function cellProblems<T extends { code: string; period: string }>(
  cells: ReadonlyArray<{ where: string; cell: T }>,
  itemIdOf: (code: string) => string | undefined,
  periods: readonly Period[],
): CellProblem[] {
  const inCycle = new Set(periods);
  const seen = new Set<string>();
  const problems: CellProblem[] = [];
  for (const { where, cell } of cells) {
    if (!itemIdOf(cell.code)) problems.push({ field: where, message: `${cell.code} is not an item of the portfolio` });
    else if (!inCycle.has(cell.period)) {
      problems.push({
        field: where,
        message: `${cell.period} is not a period of the cycle (${periods[0]} to ${periods[periods.length - 1]})`,
      });
    } else {
      const key = `${cell.code}\u0000${cell.period}`;
      if (seen.has(key)) problems.push({ field: where, message: `${cell.code} ${cell.period} is named twice` });
      seen.add(key);
    }
  }
  return problems;
}
