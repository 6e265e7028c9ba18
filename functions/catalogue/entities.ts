import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type Commitment, commitmentStatuses } from '#contract/catalogue/commitments';
import { promiseBands } from '#contract/catalogue/promise';
import { lazySchema } from '#contract/lazy-schema';
import type { AgreedThreshold } from '#contract/thresholds/thresholds';
import {
  agreedSk,
  commitmentSk,
  commitmentsGsiPk,
  commitmentsGsiSk,
  itemCollectionPk,
  weekSk,
} from '#functions/portfolio/item-collection';
import { batchGetMaxKeys, getByKeys, type TableKey } from '#functions/table/batch-get';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';

/**
 * The catalogue's records live in each item's collection (see
 * portfolio/item-collection.ts): its commitments, the week buckets of the
 * capacity they took, and, read here, the agreed threshold the thresholds
 * area publishes there.
 */
export const commitmentKey = (workspaceId: string, itemId: string, commitmentId: string) =>
  itemKey(itemCollectionPk(workspaceId, itemId), commitmentSk(commitmentId));
const weekKey = (workspaceId: string, itemId: string, week: string) =>
  itemKey(itemCollectionPk(workspaceId, itemId), weekSk(week));
const agreedKey = (workspaceId: string, itemId: string) => itemKey(itemCollectionPk(workspaceId, itemId), agreedSk);

const nullableText = () => z._default(z.nullable(z.string()), null);

const nullableNumber = () => z._default(z.nullable(z.number()), null);

/**
 * A commitment as stored. Commitments recorded before the whole promise was
 * kept have `deliveryDate` (the promised date) and no requested date, order
 * value, cost, customer or decision, and say `active` for approved: they are
 * read as such, with no migration, and written in today's shape when they next change.
 */
/** What commitments stored before approval existed say for `approved`. */
export const legacyApprovedStatus = 'active';

const storedCommitment = lazySchema(() =>
  z.object({
    id: z.string(),
    workspaceId: z.string(),
    itemId: z.string(),
    itemCode: z.string(),
    reference: z.string(),
    customer: nullableText(),
    quantity: z.number(),
    requestedDate: z.optional(z.string()),
    promisedDate: z.optional(z.string()),
    deliveryDate: z.optional(z.string()),
    orderValue: nullableNumber(),
    answer: z.enum(promiseBands),
    flexCost: z._default(
      z.nullable(
        z.object({
          expedite: z.nullable(z.number()),
          overtime: z.number(),
          setup: z.number(),
          total: z.number(),
          currency: z.string(),
        }),
      ),
      null,
    ),
    thresholdCycleId: z.string(),
    thresholdVersion: z.number(),
    allocation: z._default(z.array(z.object({ week: z.string(), quantity: z.number() })), () => []),
    leadTimeIssueId: nullableText(),
    occurrenceId: nullableText(),
    status: z.enum([...commitmentStatuses, legacyApprovedStatus]),
    recordedBy: z.string(),
    recordedByName: z.string(),
    createdAt: z.string(),
    deliveredQuantity: z._default(z.number(), 0),
    deliveredAt: nullableText(),
    missedReason: nullableText(),
    missedNote: nullableText(),
    deliveryOccurrenceId: nullableText(),
    decidedBy: nullableText(),
    decidedByName: nullableText(),
    decidedAt: nullableText(),
    decisionReason: nullableText(),
    timeToDecisionMs: nullableNumber(),
    cancelledBy: nullableText(),
    cancelledAt: nullableText(),
    updatedAt: z.string(),
    version: z.number(),
  }),
);

export const commitmentEntity = defineEntity({
  type: 'Commitment',
  schema: lazySchema(() =>
    z.pipe(
      storedCommitment,
      z.transform(({ deliveryDate, ...stored }, context): Commitment => {
        const promisedDate = stored.promisedDate ?? deliveryDate;
        if (promisedDate === undefined) {
          context.issues.push({ code: 'custom', input: stored, path: ['promisedDate'], message: 'is required' });
          return z.NEVER;
        }
        return {
          ...stored,
          promisedDate,
          requestedDate: stored.requestedDate ?? promisedDate,
          status: stored.status === legacyApprovedStatus ? 'approved' : stored.status,
        };
      }),
    ),
  ),
  // Also listed on gsi1 by promised date, for the workspace's commitments ahead.
  keys: (commitment) => ({
    ...commitmentKey(commitment.workspaceId, commitment.itemId, commitment.id),
    ...indexKey(commitmentsGsiPk(commitment.workspaceId), commitmentsGsiSk(commitment.promisedDate, commitment.id)),
  }),
});

export const toCommitment = (item: Record<string, unknown>): Commitment => commitmentEntity.parse(item);

/** A new commitment, never written over another; named `commitment`. */
export const newCommitmentPut = (commitment: Commitment): TransactItem =>
  named('commitment', commitmentEntity.put(commitment, { condition: 'attribute_not_exists(pk)' }));

/** A changed commitment, conditional on the version it was based on; named `commitment`. */
export const commitmentPut = (commitment: Commitment, expectedVersion: number): TransactItem =>
  named(
    'commitment',
    commitmentEntity.put(commitment, { condition: 'version = :expected', values: { ':expected': expectedVersion } }),
  );

/** The agreed threshold is still the version the check read; named `agreed`. */
export const agreedUnchanged = (workspaceId: string, itemId: string, version: number): TransactItem =>
  named('agreed', {
    ConditionCheck: {
      TableName: tableName(),
      Key: agreedKey(workspaceId, itemId),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': version },
    },
  });

/** Adds `delta` to a week's committed capacity, conditional on the bucket being as it was read; named `week:<monday>`. */
export function bucketTake(workspaceId: string, itemId: string, week: string, delta: number, readVersion: number | undefined) {
  return named(`week:${week}`, {
    Update: {
      TableName: tableName(),
      Key: weekKey(workspaceId, itemId, week),
      UpdateExpression:
        'SET committed = if_not_exists(committed, :zero) + :delta, version = if_not_exists(version, :zero) + :one, week = :week, #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ':delta': delta,
        ':week': week,
        ':type': 'CapacityBucket',
        ...(readVersion === undefined ? {} : { ':read': readVersion }),
      },
      ...(readVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :read' }),
    },
  } satisfies TransactItem);
}

/** Gives capacity back to a week; it commutes with any other change to the week, so it needs no version condition. */
export const bucketGiveBack = (workspaceId: string, itemId: string, week: string, quantity: number): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: weekKey(workspaceId, itemId, week),
    UpdateExpression: 'SET committed = committed - :quantity, version = version + :one',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':quantity': quantity, ':one': 1 },
  },
});

export async function findCommitment(workspaceId: string, itemId: string, commitmentId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: commitmentKey(workspaceId, itemId, commitmentId), ConsistentRead: true }),
  );
  return Item ? toCommitment(Item) : undefined;
}

/** Commitments on one item, one page at a time. */
export function queryItemCommitments(
  workspaceId: string,
  itemId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Commitment>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': itemCollectionPk(workspaceId, itemId), ':prefix': 'COMMIT#' },
    },
    page,
    toCommitment,
  );
}

const bucket = lazySchema(() => z.object({ week: z.string(), committed: z.number(), version: z.number() }));
export type CapacityBucket = z.output<typeof bucket>;
export const parseBucket = (item: Record<string, unknown>): CapacityBucket => bucket.parse(item);

/**
 * The agreed threshold as published on the item (the thresholds area writes
 * and validates it; the check takes its terms as they are), and whether the
 * item is archived.
 */
const published = lazySchema(() =>
  z.object({
    agreed: z.custom<AgreedThreshold>((value) => typeof value === 'object' && value !== null),
    version: z.number(),
    archived: z.optional(z.boolean()),
  }),
);
export const parsePublished = (item: Record<string, unknown>) => published.parse(item);

/**
 * The check's first read: one BatchGetItem of exact keys, the agreed
 * threshold and the given week buckets (at most 99, DynamoDB's limit per
 * request beside the threshold). Its cost follows the weeks the check asks
 * about, never the number of items, commitments, threshold versions or
 * weeks booked further ahead (see item-collection.ts).
 */
export async function readAgreedAndWeeks(workspaceId: string, itemId: string, weeks: string[], also: TableKey[] = []) {
  const found = await getByKeys([
    agreedKey(workspaceId, itemId),
    ...weeks.map((week) => weekKey(workspaceId, itemId, week)),
    ...also,
  ]);
  const agreed = found.get(agreedKey(workspaceId, itemId));
  const buckets = weeks.flatMap((week) => {
    const item = found.get(weekKey(workspaceId, itemId, week));
    return item ? [bucket.parse(item)] : [];
  });
  return { published: agreed ? published.parse(agreed) : undefined, buckets, found };
}

/** The week buckets from the week of `from` to the week of `to` (Mondays), with one key-bounded Query. */
export function readWeeks(workspaceId: string, itemId: string, from: string, to: string): Promise<CapacityBucket[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': itemCollectionPk(workspaceId, itemId), ':from': weekSk(from), ':to': weekSk(to) },
      ConsistentRead: true,
    },
    (item) => bucket.parse(item),
  );
}

/**
 * The agreed threshold and week buckets of several items (an order's), in
 * BatchGetItems of at most 100 keys sent together: one round trip.
 */
export async function readAgreedAndWeeksOfItems(
  workspaceId: string,
  asks: Array<{ itemId: string; weeks: string[] }>,
  also: TableKey[] = [],
) {
  const keys = [
    ...also,
    ...asks.flatMap(({ itemId, weeks }) => [
      agreedKey(workspaceId, itemId),
      ...weeks.map((week) => weekKey(workspaceId, itemId, week)),
    ]),
  ];
  const chunks: (typeof keys)[] = [];
  for (let start = 0; start < keys.length; start += batchGetMaxKeys) chunks.push(keys.slice(start, start + batchGetMaxKeys));
  const found = await Promise.all(chunks.map((chunk) => getByKeys(chunk)));
  const get = (key: TableKey) => found.map((batch) => batch.get(key)).find((item) => item !== undefined);
  const read = new Map(
    asks.map(({ itemId, weeks }) => {
      const agreed = get(agreedKey(workspaceId, itemId));
      const buckets = weeks.flatMap((week) => {
        const item = get(weekKey(workspaceId, itemId, week));
        return item ? [bucket.parse(item)] : [];
      });
      return [itemId, { published: agreed ? published.parse(agreed) : undefined, buckets }];
    }),
  );
  return { read, found: { get } };
}

/** Every commitment of the workspace delivered between two dates (inclusive), from gsi1 by delivery date: one Query. */
export function commitmentsDeliveredBetween(
  workspaceId: string,
  from: string,
  to: string,
  recordedBy?: string,
): Promise<Commitment[]> {
  // Only one rep's: a filter on the same query, so it still reads the range once.
  const byRep = recordedBy
    ? { FilterExpression: 'recordedBy = :recordedBy', ExpressionAttributeValues: { ':recordedBy': recordedBy } }
    : { ExpressionAttributeValues: {} };
  return queryAll(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: `${gsi1.pk} = :pk AND ${gsi1.sk} BETWEEN :from AND :to`,
      ...byRep,
      ExpressionAttributeValues: {
        ':pk': commitmentsGsiPk(workspaceId),
        ':from': from,
        ':to': `${to}#~`,
        ...byRep.ExpressionAttributeValues,
      },
    },
    toCommitment,
  );
}
