import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Commitment } from '#contract/catalogue/commitments';
import { emptyKeptCounts, type KeptCounts, type KeptScope, keptCountNames } from '#contract/catalogue/kept-rate';
import { lazySchema } from '#contract/lazy-schema';
import { batchGetMaxKeys, getByKeys } from '#functions/table/batch-get';
import { dynamo, tableName } from '#functions/table/client';
import { gsi1, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { named, type TransactItem } from '#functions/table/transactions';
import { keptListGsiPk, keptListGsiSk, keptPk, keptSk } from './kept-keys';

/**
 * The records deliveries keep beside the commitments (the commitments
 * themselves are catalogue/entities.ts's):
 *
 * | pk                                   | sk                                 | what                                                 |
 * | ------------------------------------ | ---------------------------------- | ---------------------------------------------------- |
 * | `WS#<ws>#KEPT#<scope>#<id>`          | `WEEK#<monday>`                    | kept-rate counters (keys: kept-keys.ts)              |
 * | `WS#<ws>#COMMITREF#<reference>`      | `REF`                              | the commitments carrying a reference (`item/id` set) |
 * | `WS#<ws>#DELIVERY#<commitment>`      | `<delivery key>`                   | one delivery applied (a re-import finds it)          |
 * | `DUE#COMMITMENT`                     | `<promised>#<ws>#<item>#<id>`      | the overdue job's queue (keys only)                  |
 *
 * Each is written in the transaction that changes the commitment, so the
 * counters always equal what the commitments say.
 */
const referencePk = (workspaceId: string, reference: string) => `${workspacePk(workspaceId)}#COMMITREF#${reference}`;
const referenceKey = (workspaceId: string, reference: string) => itemKey(referencePk(workspaceId, reference), 'REF');
export const deliveryKey = (workspaceId: string, commitmentId: string, key: string) =>
  itemKey(`${workspacePk(workspaceId)}#DELIVERY#${commitmentId}`, key);
export const duePk = 'DUE#COMMITMENT';
const dueSk = (commitment: Pick<Commitment, 'promisedDate' | 'workspaceId' | 'itemId' | 'id'>) =>
  `${commitment.promisedDate}#${commitment.workspaceId}#${commitment.itemId}#${commitment.id}`;

/** Adds one outcome's counts to a scope's week; ADDs commute, so racing deliveries both count. */
export function keptCounterAdd(workspaceId: string, scope: KeptScope, scopeId: string, week: string, delta: KeptCounts) {
  const names = keptCountNames.filter((name) => delta[name] !== 0);
  const values = Object.fromEntries(names.map((name) => [`:${name}`, delta[name]]));
  return {
    Update: {
      TableName: tableName(),
      Key: itemKey(keptPk(workspaceId, scope, scopeId), keptSk(week)),
      UpdateExpression: `SET #type = :type, #week = :week, #ws = :ws, #scope = :scope, #scopeId = :scopeId, #gpk = :gpk, #gsk = :gsk ADD ${names.map((name) => `#${name} :${name}`).join(', ')}`,
      ExpressionAttributeNames: {
        '#type': 'type',
        '#week': 'week',
        '#ws': 'workspaceId',
        '#scope': 'scope',
        '#scopeId': 'scopeId',
        '#gpk': gsi1.pk,
        '#gsk': gsi1.sk,
        ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: {
        ':type': 'KeptCounter',
        ':week': week,
        ':ws': workspaceId,
        ':scope': scope,
        ':scopeId': scopeId,
        ':gpk': keptListGsiPk(workspaceId),
        ':gsk': keptListGsiSk(scope, scopeId, week),
        ...values,
      },
    },
  } satisfies TransactItem;
}

const counter = lazySchema(() => z.object({ week: z.string() }));
const count = lazySchema(() => z._default(z.number(), 0));

/** The counters of one scope from the week of `fromWeek` to that of `toWeek`: one Query, whatever the number of commitments. */
export async function queryKeptWeeks(
  workspaceId: string,
  scope: KeptScope,
  scopeId: string,
  fromWeek: string,
  toWeek: string,
): Promise<Map<string, KeptCounts>> {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keptPk(workspaceId, scope, scopeId), ':from': keptSk(fromWeek), ':to': keptSk(toWeek) },
    }),
  );
  const found = new Map<string, KeptCounts>();
  for (const item of Items ?? []) {
    const counts = emptyKeptCounts();
    for (const name of keptCountNames) counts[name] = count.parse(item[name]);
    found.set(counter.parse(item).week, counts);
  }
  return found;
}

/**
 * Notes commitments of one reference (a commitment, or an order's lines) under
 * it, for imports to find them by; racing commitments of one reference all
 * stay. One item per reference: a transaction may touch it only once.
 */
export const referenceIndexAdd = (
  first: Pick<Commitment, 'workspaceId' | 'reference' | 'itemId' | 'id'>,
  ...more: Array<Pick<Commitment, 'itemId' | 'id'>>
) =>
  ({
    Update: {
      TableName: tableName(),
      Key: referenceKey(first.workspaceId, first.reference),
      UpdateExpression: 'SET #type = :type, #reference = :reference ADD #commitments :entry',
      ExpressionAttributeNames: { '#type': 'type', '#reference': 'reference', '#commitments': 'commitments' },
      ExpressionAttributeValues: {
        ':type': 'CommitmentReference',
        ':reference': first.reference,
        ':entry': new Set([first, ...more].map((commitment) => `${commitment.itemId}/${commitment.id}`)),
      },
    },
  }) satisfies TransactItem;

/** Where the overdue job finds a commitment once its promised date has passed. */
export const dueEntryPut = (commitment: Pick<Commitment, 'promisedDate' | 'workspaceId' | 'itemId' | 'id'>) =>
  ({
    Put: { TableName: tableName(), Item: { pk: duePk, sk: dueSk(commitment), type: 'CommitmentDue' } },
  }) satisfies TransactItem;

/** The writes that make a new commitment findable by deliveries: its reference and its due date. */
export const commitmentDeliveryIndexWrites = (commitment: Commitment): TransactItem[] => [
  referenceIndexAdd(commitment),
  dueEntryPut(commitment),
];

/**
 * The same for an order's lines, which share the order's reference: the
 * reference item once with every line, and each line's due date.
 */
export const orderDeliveryIndexWrites = (commitments: readonly Commitment[]): TransactItem[] => {
  const [first, ...more] = commitments;
  if (!first) return [];
  return [referenceIndexAdd(first, ...more), ...commitments.map(dueEntryPut)];
};

const referenceEntry = lazySchema(() =>
  z.object({
    reference: z.string(),
    commitments: z.optional(z.custom<Set<string>>((v) => v instanceof Set)),
  }),
);

/** The commitments (item and id) carrying each reference: BatchGetItems of 100 keys, side by side (one round trip). */
export async function commitmentsByReference(
  workspaceId: string,
  references: readonly string[],
): Promise<Map<string, Array<{ itemId: string; commitmentId: string }>>> {
  const unique = [...new Set(references)];
  const chunks: string[][] = [];
  for (let start = 0; start < unique.length; start += batchGetMaxKeys) chunks.push(unique.slice(start, start + batchGetMaxKeys));
  const results = await Promise.all(chunks.map((chunk) => getByKeys(chunk.map((ref) => referenceKey(workspaceId, ref)))));
  const found = new Map<string, Array<{ itemId: string; commitmentId: string }>>();
  chunks.forEach((chunk, index) => {
    for (const ref of chunk) {
      const item = results[index]?.get(referenceKey(workspaceId, ref));
      const entries = item ? [...(referenceEntry.parse(item).commitments ?? [])] : [];
      found.set(
        ref,
        entries.sort().map((entry) => {
          const [itemId = '', commitmentId = ''] = entry.split('/');
          return { itemId, commitmentId };
        }),
      );
    }
  });
  return found;
}

/** Records that a delivery was applied, once: named `delivery`, it fails when the same delivery was applied before. */
export const deliveryApplied = (
  workspaceId: string,
  commitmentId: string,
  key: string,
  record: Record<string, unknown>,
): TransactItem =>
  named('delivery', {
    Put: {
      TableName: tableName(),
      Item: { ...deliveryKey(workspaceId, commitmentId, key), type: 'DeliveryApplied', ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

const dueEntry = lazySchema(() => z.object({ sk: z.string() }));

export interface DueEntry {
  sk: string;
  promisedDate: string;
  workspaceId: string;
  itemId: string;
  commitmentId: string;
}

const toDueEntry = (item: Record<string, unknown>): DueEntry => {
  const { sk } = dueEntry.parse(item);
  const [promisedDate = '', workspaceId = '', itemId = '', commitmentId = ''] = sk.split('#');
  return { sk, promisedDate, workspaceId, itemId, commitmentId };
};

/** Queue entries of commitments promised before `today`, oldest first, one page. */
export async function dueEntriesBefore(today: string, limit: number, cursor?: Record<string, unknown>) {
  const result = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk < :today',
      ExpressionAttributeValues: { ':pk': duePk, ':today': today },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { entries: (result.Items ?? []).map(toDueEntry), cursor: result.LastEvaluatedKey };
}

/** Takes an entry off the queue; true only for the one run that removed it, so a commitment is notified once. */
export async function takeDueEntry(entry: DueEntry): Promise<boolean> {
  try {
    await dynamo.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: itemKey(duePk, entry.sk),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

const agreedCurrency = lazySchema(() => z.object({ agreed: z.object({ terms: z.object({ currency: z.string() }) }) }));

/** The currency an item's agreed threshold counts in, from its published copy; EUR when none was ever agreed. */
export const currencyOfAgreed = (item: Record<string, unknown> | undefined): string => {
  const parsed = item ? agreedCurrency.safeParse(item) : undefined;
  return parsed?.success ? parsed.data.agreed.terms.currency : 'EUR';
};
