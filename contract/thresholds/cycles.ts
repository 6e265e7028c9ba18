/**
 * Budget cycles: a planning period whose state only moves forward,
 * draft → planning → agreed → closed.
 */
export const cycleStates = ['draft', 'planning', 'agreed', 'closed'] as const;
export type CycleState = (typeof cycleStates)[number];

export interface BudgetCycle {
  id: string;
  workspaceId: string;
  name: string;
  startDate: string;
  endDate: string;
  /** Company holidays in the period; the promise check does not count them as working days. */
  holidays: string[];
  state: CycleState;
  /** The cycle whose agreed thresholds this one started from, if any. */
  copiedFrom: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The state a cycle may move to next, or null once closed. */
export function nextCycleState(state: CycleState): CycleState | null {
  const index = cycleStates.indexOf(state);
  return cycleStates[index + 1] ?? null;
}

/** Why a cycle may not move from `from` to `to`, or null when it may. */
export function cycleTransitionRefusal(from: CycleState, to: CycleState): string | null {
  if (nextCycleState(from) === to) return null;
  const next = nextCycleState(from);
  return next ? `A ${from} cycle can only move to ${next}, not to ${to}` : `A ${from} cycle is final and cannot move to ${to}`;
}

/** Thresholds are edited and signed off while the cycle is being planned; agreed and closed cycles are read-only. */
export function thresholdsEditable(state: CycleState): boolean {
  return state === 'draft' || state === 'planning';
}
