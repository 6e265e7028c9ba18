import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { type BudgetCycle, cycleStates } from '#contract/thresholds/cycles';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity } from '#functions/table/entity';
import { cycleKey, cycleSkPrefix, workspacePk } from '#functions/table/keys';
import { type Page, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';

/*
 * How a budget cycle is stored. Thresholds, meetings, rankings and the
 * reference checks read cycles by key from here, without importing the use
 * cases that change cycles (which copy thresholds into a new one).
 */

// Budget cycles live in the workspace partition under `CYCLE#<id>` (key builders in table/keys.ts).

const cycleShape: z.ZodMiniType<BudgetCycle> = lazySchema(() =>
  z.object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    holidays: z._default(z.array(z.string()), []),
    state: z.enum(cycleStates),
    copiedFrom: z._default(z.nullable(z.string()), null),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
  }),
);

export const cycleEntity = defineEntity({
  type: 'BudgetCycle',
  schema: cycleShape,
  keys: (cycle) => cycleKey(cycle.workspaceId, cycle.id),
});

/** A stored cycle as the code sees it (kept for callers that read cycles themselves). */
export const toCycle = (item: Record<string, unknown>): BudgetCycle => cycleEntity.parse(item);

export async function getCycle(workspaceId: string, cycleId: string): Promise<BudgetCycle | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: cycleKey(workspaceId, cycleId), ConsistentRead: true }),
  );
  return Item ? cycleEntity.parse(Item) : undefined;
}

export function listCycles(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<BudgetCycle>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': cycleSkPrefix },
    },
    page,
    cycleEntity.parse,
  );
}

/** Stores a new cycle; part `cycle` fails when the id is taken. */
export const putNewCycle = (cycle: BudgetCycle): TransactItem =>
  named('cycle', cycleEntity.put(cycle, { condition: 'attribute_not_exists(pk)' }));

/** Stores a cycle's next state; part `cycle` fails unless it is still at `expectedVersion`. */
export const putCycleFrom = (after: BudgetCycle, expectedVersion: number): TransactItem =>
  named('cycle', cycleEntity.put(after, { condition: 'version = :expected', values: { ':expected': expectedVersion } }));

/** Checks, without writing, that the cycle is still draft or planning (its thresholds and plan may change); part `cycle`. */
export function cycleStillPlanned(workspaceId: string, cycleId: string): TransactItem {
  return named('cycle', {
    ConditionCheck: {
      TableName: tableName(),
      Key: cycleKey(workspaceId, cycleId),
      ConditionExpression: '#state IN (:draft, :planning)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':draft': 'draft', ':planning': 'planning' },
    },
  });
}

export { cycleKey, cycleSkPrefix };
