import type { BudgetCycle } from '#contract/thresholds/cycles';
import { callAll } from './api';

/** The workspace's budget cycles, latest start first: the one list every cycle picker offers. */
export async function loadCycles(workspaceId: string): Promise<BudgetCycle[]> {
  const all = await callAll('listCycles', { params: { workspaceId } }, 'items');
  return all.sort((a, b) => b.startDate.localeCompare(a.startDate));
}

/** The cycle a screen opens on: the latest one being planned, else the latest of all. */
export function defaultCycle(cycles: BudgetCycle[]): BudgetCycle | undefined {
  return cycles.find((cycle) => cycle.state === 'planning' || cycle.state === 'draft') ?? cycles[0];
}

export const cycleLabel = (cycle: Pick<BudgetCycle, 'name' | 'state'>) => `${cycle.name} (${cycle.state})`;

/** The cycle running on `today` (the latest to start), else the one a screen opens on. */
export function currentCycle(cycles: BudgetCycle[], today: string): BudgetCycle | undefined {
  return cycles.find((cycle) => cycle.startDate <= today && today <= cycle.endDate) ?? defaultCycle(cycles);
}
