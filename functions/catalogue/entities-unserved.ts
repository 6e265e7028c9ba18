import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { UnservedDemand, UnservedTotal } from '#contract/catalogue/unserved';
import { lazySchema } from '#contract/lazy-schema';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import { itemCollectionPk } from '#functions/portfolio/item-collection';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { cycleSkPrefix, workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { cycleEntity } from '#functions/thresholds/entities-cycles';
import { unservedCycleGsiPk, unservedItemGsiPk, unservedItemGsiSk, unservedSk, unservedTotalSk } from './unserved-keys';

const unservedKey = (workspaceId: string, itemId: string, unservedId: string) =>
  itemKey(itemCollectionPk(workspaceId, itemId), unservedSk(unservedId));
const totalKey = (workspaceId: string, itemId: string, cycleId: string) =>
  itemKey(itemCollectionPk(workspaceId, itemId), unservedTotalSk(cycleId));

export const unservedEntity = defineEntity({
  type: 'UnservedDemand',
  schema: lazySchema(
    () =>
      z.object({
        id: z.string(),
        workspaceId: z.string(),
        itemId: z.string(),
        itemCode: z.string(),
        unit: z.string(),
        quantity: z.number(),
        requestedDate: z.string(),
        customer: z.string(),
        note: z._default(z.nullable(z.string()), null),
        thresholdVersion: z.number(),
        cycleId: z.string(),
        cycleName: z.string(),
        recordedBy: z.string(),
        recordedByName: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        version: z.number(),
      }) satisfies z.ZodMiniType<UnservedDemand>,
  ),
  keys: (demand) => ({
    ...unservedKey(demand.workspaceId, demand.itemId, demand.id),
    ...indexKey(
      unservedItemGsiPk(demand.workspaceId, demand.itemId, demand.cycleId),
      unservedItemGsiSk(demand.requestedDate, demand.id),
    ),
  }),
});

const totalShape = lazySchema(() =>
  z.object({
    itemId: z.string(),
    itemCode: z.string(),
    unit: z.string(),
    cycleId: z.string(),
    quantity: z.number(),
    count: z.number(),
  }),
);
const toTotal = (item: Record<string, unknown>): UnservedTotal => totalShape.parse(item);

/** A new record of lost demand, never written over another; named `unserved`. */
export const newUnservedPut = (demand: UnservedDemand): TransactItem =>
  named('unserved', unservedEntity.put(demand, { condition: 'attribute_not_exists(pk)' }));

/** A corrected record, conditional on the version it was based on; named `unserved`. */
export const unservedPut = (demand: UnservedDemand, expectedVersion: number): TransactItem =>
  named('unserved', unservedEntity.put(demand, { condition: 'version = :expected', values: { ':expected': expectedVersion } }));

/** Removes a record, conditional on the version it was based on; named `unserved`. */
export const unservedDelete = (demand: UnservedDemand, expectedVersion: number): TransactItem =>
  named('unserved', {
    Delete: {
      TableName: tableName(),
      Key: unservedKey(demand.workspaceId, demand.itemId, demand.id),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  });

/**
 * Adds to the item's totals in the cycle (made on the first record). Adding
 * commutes with any other write to them, so it needs no condition.
 */
export function totalAdd(demand: UnservedDemand, delta: { quantity: number; count: number }): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: totalKey(demand.workspaceId, demand.itemId, demand.cycleId),
      UpdateExpression:
        'SET #type = :type, workspaceId = :ws, itemId = :item, itemCode = :code, #unit = :unit, cycleId = :cycle, #gpk = :gpk, #gsk = :gsk ADD quantity :quantity, #count :count',
      ExpressionAttributeNames: { '#type': 'type', '#unit': 'unit', '#count': 'count', '#gpk': gsi1.pk, '#gsk': gsi1.sk },
      ExpressionAttributeValues: {
        ':type': 'UnservedTotal',
        ':ws': demand.workspaceId,
        ':item': demand.itemId,
        ':code': demand.itemCode,
        ':unit': demand.unit,
        ':cycle': demand.cycleId,
        ':gpk': unservedCycleGsiPk(demand.workspaceId, demand.cycleId),
        ':gsk': demand.itemId,
        ':quantity': delta.quantity,
        ':count': delta.count,
      },
    },
  };
}

export async function findUnserved(workspaceId: string, itemId: string, unservedId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: unservedKey(workspaceId, itemId, unservedId), ConsistentRead: true }),
  );
  return Item ? unservedEntity.parse(Item) : undefined;
}

/** The workspace's cycles whose dates contain `day`: one Query of the cycles, filtered. */
export function cyclesContaining(workspaceId: string, day: string): Promise<BudgetCycle[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#type = :type AND startDate <= :day AND endDate >= :day',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':pk': workspacePk(workspaceId),
        ':prefix': cycleSkPrefix,
        ':type': cycleEntity.type,
        ':day': day,
      },
    },
    cycleEntity.parse,
  );
}

/** One page of an item's unserved demand in a cycle, by requested date. */
export function queryItemUnserved(
  workspaceId: string,
  itemId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<UnservedDemand>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi1.pk },
      ExpressionAttributeValues: { ':pk': unservedItemGsiPk(workspaceId, itemId, cycleId) },
    },
    page,
    unservedEntity.parse,
  );
}

/** The item's totals in a cycle (zero when nothing was lost there). */
export async function getUnservedTotal(workspaceId: string, itemId: string, cycleId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: totalKey(workspaceId, itemId, cycleId), ConsistentRead: true }),
  );
  const total = Item ? toTotal(Item) : undefined;
  return { quantity: total?.quantity ?? 0, count: total?.count ?? 0 };
}

/** One page of a cycle's totals per item, items with nothing left unserved skipped. */
export function queryCycleUnserved(
  workspaceId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<UnservedTotal>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#count > :zero',
      ExpressionAttributeNames: { '#pk': gsi1.pk, '#count': 'count' },
      ExpressionAttributeValues: { ':pk': unservedCycleGsiPk(workspaceId, cycleId), ':zero': 0 },
    },
    page,
    toTotal,
  );
}
