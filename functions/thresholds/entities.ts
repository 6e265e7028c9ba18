import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import type { ThresholdHead, ThresholdVersion } from '#contract/thresholds/thresholds';
import { planFromKeys, planKeys, type StoredPlan } from '#functions/plan-record/stored-plan';
import { portfolioItemEntity, portfolioItemKey, publishedKey } from '#functions/portfolio/entities';
import {
  cycleThresholdsGsiPk,
  headSk,
  itemCollectionPk,
  thresholdsGsiSk,
  versionPrefix,
  versionSk,
} from '#functions/portfolio/item-collection';
import { signOffsShape, versionShape } from '#functions/portfolio/threshold-shapes';
import { getByKeys } from '#functions/table/batch-get';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { cycleEntity, cycleKey } from './entities-cycles';
import { type Publication, publicationEntity } from './entities-published';

/*
 * How thresholds are stored, in the item collection of their portfolio item
 * (see item-collection.ts): a head per cycle (`CYCLE#<cycle>#HEAD`, listed
 * per cycle on gsi1), its immutable versions, and the agreed threshold the
 * item publishes to reps and the promise check (`CHECK#~AGREED`).
 */

export const headKey = (workspaceId: string, itemId: string, cycleId: string) =>
  itemKey(itemCollectionPk(workspaceId, itemId), headSk(cycleId));

const headShape: z.ZodMiniType<ThresholdHead> = lazySchema(() =>
  z.object({
    workspaceId: z.string(),
    itemId: z.string(),
    itemCode: z.string(),
    itemName: z.string(),
    cycleId: z.string(),
    latest: versionShape,
    signOffs: signOffsShape,
    agreed: z._default(z.nullable(versionShape), null),
    agreedSignOffs: signOffsShape,
    updatedAt: z.string(),
    version: z.number(),
    // Heads kept from before the revision existed have none: see headUnchanged.
    revision: z._default(z.number(), 0),
  }),
);

export const headEntity = defineEntity({
  type: 'ThresholdHead',
  schema: headShape,
  keys: (head) => ({
    ...headKey(head.workspaceId, head.itemId, head.cycleId),
    ...indexKey(cycleThresholdsGsiPk(head.workspaceId, head.cycleId), thresholdsGsiSk(head.itemId)),
  }),
});

export const versionEntity = defineEntity({
  type: 'ThresholdVersion',
  schema: versionShape,
  keys: (version) => itemKey(itemCollectionPk(version.workspaceId, version.itemId), versionSk(version.cycleId, version.version)),
});

export async function getThresholdHead(workspaceId: string, itemId: string, cycleId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: headKey(workspaceId, itemId, cycleId), ConsistentRead: true }),
  );
  return Item ? headEntity.parse(Item) : undefined;
}

/** What a threshold edit or sign-off reads before it writes. */
export interface ThresholdContext {
  cycle: BudgetCycle | undefined;
  item: PortfolioItem | undefined;
  head: ThresholdHead | undefined;
  /** The agreed threshold reps see now, read only when asked for. */
  published: Publication | undefined;
  /** The cycle's sales plan, read only when asked for. */
  plan: StoredPlan | undefined;
}

/**
 * The cycle, the portfolio item, the item's threshold head in the cycle and,
 * when `published` is asked for, the agreed threshold the item publishes
 * (and, when `plan` is, the cycle's sales plan by the keys of its head and
 * chunks): one strongly consistent BatchGetItem instead of a request each,
 * as they live in different partitions.
 */
export async function readThresholdContext(
  input: { workspaceId: string; cycleId: string; itemId: string },
  options: { published: boolean; plan?: boolean },
): Promise<ThresholdContext> {
  const { workspaceId, cycleId, itemId } = input;
  const keys = {
    cycle: cycleKey(workspaceId, cycleId),
    item: portfolioItemKey(workspaceId, itemId),
    head: headKey(workspaceId, itemId, cycleId),
    published: publishedKey(workspaceId, itemId),
  };
  const found = await getByKeys([
    keys.cycle,
    keys.item,
    keys.head,
    ...(options.published ? [keys.published] : []),
    ...(options.plan ? planKeys(workspaceId, cycleId) : []),
  ]);
  const parsed = <T>(item: Record<string, unknown> | undefined, parse: (item: Record<string, unknown>) => T) =>
    item ? parse(item) : undefined;
  return {
    cycle: parsed(found.get(keys.cycle), cycleEntity.parse),
    item: parsed(found.get(keys.item), portfolioItemEntity.parse),
    head: parsed(found.get(keys.head), headEntity.parse),
    published: options.published ? parsed(found.get(keys.published), publicationEntity.parse) : undefined,
    plan: options.plan ? await planFromKeys(workspaceId, cycleId, found.get) : undefined,
  };
}

/** The thresholds of a cycle, one per item that has one (agreed or pending). */
export function listCycleThresholds(
  workspaceId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<ThresholdHead>> {
  return queryPage(cycleThresholdsQuery(workspaceId, cycleId), page, headEntity.parse);
}

/** Every threshold of a cycle, for copying them into the next one. */
export function allCycleThresholds(workspaceId: string, cycleId: string): Promise<ThresholdHead[]> {
  return queryAll(cycleThresholdsQuery(workspaceId, cycleId), headEntity.parse);
}

const cycleThresholdsQuery = (workspaceId: string, cycleId: string) => ({
  TableName: tableName(),
  IndexName: gsi1.name,
  KeyConditionExpression: `${gsi1.pk} = :pk`,
  ExpressionAttributeValues: { ':pk': cycleThresholdsGsiPk(workspaceId, cycleId) },
});

/** Versions of one threshold, newest first, each with its changes against the one before. */
export function listThresholdVersions(
  workspaceId: string,
  itemId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<ThresholdVersion>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': itemCollectionPk(workspaceId, itemId), ':prefix': versionPrefix(cycleId) },
      ScanIndexForward: false,
    },
    page,
    versionEntity.parse,
  );
}

/**
 * The condition every write of a threshold head carries: the head is still
 * the one read, whole (its revision). Heads kept from before the revision
 * existed are matched on the version and sign-off count they had then; their
 * next write gives them a revision.
 */
function headUnchanged(head: ThresholdHead): { condition: string; values: Record<string, unknown> } {
  return head.revision > 0
    ? { condition: 'revision = :revision', values: { ':revision': head.revision } }
    : {
        condition: 'attribute_not_exists(revision) AND version = :version AND size(signOffs) = :count',
        values: { ':version': head.version, ':count': head.signOffs.length },
      };
}

/** Writes the head `after`; part `thresholdHead` fails unless the head is still `before` (or, without one, absent). */
export function putHead(after: ThresholdHead, before: ThresholdHead | undefined): TransactItem {
  return named(
    'thresholdHead',
    headEntity.put(after, before ? headUnchanged(before) : { condition: 'attribute_not_exists(pk)' }),
  );
}

/** Checks, without writing, that the head is still `head`; part `thresholdHead`. */
export function headStill(head: ThresholdHead): TransactItem {
  const { condition, values } = headUnchanged(head);
  return named('thresholdHead', {
    ConditionCheck: {
      TableName: tableName(),
      Key: headKey(head.workspaceId, head.itemId, head.cycleId),
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    },
  });
}

/** Checks that the latest version of the head is still `version`; part `thresholdHead`. */
export function headAtVersion(workspaceId: string, itemId: string, cycleId: string, version: number): TransactItem {
  return named('thresholdHead', {
    ConditionCheck: {
      TableName: tableName(),
      Key: headKey(workspaceId, itemId, cycleId),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': version },
    },
  });
}

/** Stores a new version; part `thresholdVersion` fails when it exists already. */
export const putNewVersion = (version: ThresholdVersion): TransactItem =>
  named('thresholdVersion', versionEntity.put(version, { condition: 'attribute_not_exists(pk)' }));
