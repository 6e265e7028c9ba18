import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type BudgetCycle, type CycleState, cycleTransitionRefusal } from '#contract/thresholds/cycles';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/audit/audit';
import { Conflict, NotFound } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryPage } from '#functions/table/pages';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { cycleKey, toCycle } from './cycle-records';
import { copyAgreedThresholds } from './thresholds';

export async function getCycle(workspaceId: string, cycleId: string): Promise<BudgetCycle | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: cycleKey(workspaceId, cycleId), ConsistentRead: true }),
  );
  return Item ? toCycle(Item) : undefined;
}

export async function requireCycle(workspaceId: string, cycleId: string): Promise<BudgetCycle> {
  const cycle = await getCycle(workspaceId, cycleId);
  if (!cycle) throw new NotFound('Budget cycle not found');
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
    {
      Put: {
        TableName: tableName(),
        Item: { ...cycleKey(workspaceId, cycle.id), type: 'BudgetCycle', ...cycle },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut({ workspaceId, actor, action: 'cycle.created', entity: 'cycle', entityId: cycle.id, after: cycle, at: now }),
  ]);
  const copied = source ? await copyAgreedThresholds(workspaceId, source, cycle, actor, now) : 0;
  return { ...cycle, copied };
}

export function listCycles(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<BudgetCycle>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': 'CYCLE#' },
    },
    page,
    toCycle,
  );
}

/** Moves a cycle to its next state, only in order, conditional on the version the change was based on. */
export async function changeCycleState(
  input: { workspaceId: string; cycleId: string; to: CycleState; expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<BudgetCycle> {
  const cycle = await requireCycle(input.workspaceId, input.cycleId);
  if (cycle.version !== input.expectedVersion) {
    throw new Conflict(`The cycle changed since version ${input.expectedVersion}; it is now version ${cycle.version}`, {
      current: cycle,
    });
  }
  const refusal = cycleTransitionRefusal(cycle.state, input.to);
  if (refusal) throw new Conflict(refusal, { current: cycle });
  const after: BudgetCycle = { ...cycle, state: input.to, updatedAt: now, version: cycle.version + 1 };
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: { ...cycleKey(input.workspaceId, cycle.id), type: 'BudgetCycle', ...after },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': input.expectedVersion },
        },
      },
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
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The cycle changed since version ${input.expectedVersion}`, {
        current: error.current ? toCycle(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}
