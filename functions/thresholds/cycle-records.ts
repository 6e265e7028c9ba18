import type { BudgetCycle, CycleState } from '#contract/thresholds/cycles';
import { workspacePk } from '#functions/table/keys';

/*
 * How a budget cycle is stored, apart from the cycle operations: thresholds,
 * meetings and rankings read cycles by key without importing the module that
 * changes them (which itself copies thresholds into a new cycle).
 */

/** Budget cycles live in the workspace partition under `CYCLE#<id>`. */
export const cycleKey = (workspaceId: string, cycleId: string) => ({ pk: workspacePk(workspaceId), sk: `CYCLE#${cycleId}` });

export function toCycle(item: Record<string, unknown>): BudgetCycle {
  return {
    id: item.id as string,
    workspaceId: item.workspaceId as string,
    name: item.name as string,
    startDate: item.startDate as string,
    endDate: item.endDate as string,
    holidays: (item.holidays as string[]) ?? [],
    state: item.state as CycleState,
    copiedFrom: (item.copiedFrom as string | null) ?? null,
    createdBy: item.createdBy as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}
