import { randomUUID } from 'node:crypto';
import { refuse } from '#contract/refusal';
import type { BudgetCycle, CycleState } from '#contract/thresholds/cycles';
import { cycleMoveRefusal } from '#contract/thresholds/policies';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { refuseIf } from './context';
import { copyAgreedThresholds } from './copy-thresholds';
import { cycleEntity, getCycle, putCycleFrom, putNewCycle } from './entities-cycles';

export { getCycle, listCycles } from './entities-cycles';

export async function requireCycle(workspaceId: string, cycleId: string): Promise<BudgetCycle> {
  const cycle = await getCycle(workspaceId, cycleId);
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  return cycle;
}

export interface NewCycle {
  name: string;
  startDate: string;
  endDate: string;
  holidays: string[];
  copyFrom?: string;
}

/**
 * Creates a cycle in draft. Started from a previous cycle, every threshold
 * agreed there becomes a proposal here (version 1, linked to its origin).
 */
export async function createCycle(
  workspaceId: string,
  input: NewCycle,
  actor: Caller,
  now: string,
): Promise<BudgetCycle & { copied: number }> {
  const source = input.copyFrom ? await requireCycle(workspaceId, input.copyFrom) : undefined;
  const cycle: BudgetCycle = {
    id: randomUUID(),
    workspaceId,
    name: input.name,
    startDate: input.startDate,
    endDate: input.endDate,
    holidays: [...new Set(input.holidays)].sort(),
    state: 'draft',
    copiedFrom: source?.id ?? null,
    createdBy: actor.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await transactWrite([
    putNewCycle(cycle),
    auditPut({ workspaceId, actor, action: 'cycle.created', entity: 'cycle', entityId: cycle.id, after: cycle, at: now }),
  ]);
  const copied = source ? await copyAgreedThresholds(workspaceId, source, cycle, actor, now) : 0;
  return { ...cycle, copied };
}

/** Moves a cycle to its next state, only in order, conditional on the version the change was based on. */
export async function changeCycleState(
  input: { workspaceId: string; cycleId: string; to: CycleState; expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<BudgetCycle> {
  const cycle = await requireCycle(input.workspaceId, input.cycleId);
  refuseIf(cycleMoveRefusal(cycle, input.to, input.expectedVersion));
  const after: BudgetCycle = { ...cycle, state: input.to, updatedAt: now, version: cycle.version + 1 };
  try {
    await transactWrite([
      putCycleFrom(after, input.expectedVersion),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'cycle.stateChanged',
        entity: 'cycle',
        entityId: cycle.id,
        before: cycle,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'cycle') {
      throw refuse.conflict(`The cycle changed since version ${input.expectedVersion}`, {
        current: error.current ? cycleEntity.parse(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}
