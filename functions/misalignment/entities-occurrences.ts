import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { detectionStages, emptyCost, type Occurrence } from '#contract/misalignment/misalignment';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, itemKey } from '#functions/table/entity';
import { queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { aggregateUpdate } from './entities-aggregates';
import { occurrencePk } from './entities-issue-days';
import { issueKey } from './entities-issues';

/** Occurrences get a partition per issue, `WS#<ws>#ISSUE#<id>`, sorted by their time-ordered id. */
export const occurrenceKey = (workspaceId: string, issueId: string, occurrenceId: string) =>
  itemKey(occurrencePk(workspaceId, issueId), `OCC#${occurrenceId}`);

const amount = () => z._default(z.number(), 0);
/** A cost breakdown, every type present (the record's type checks this names each of `costTypes`). */
const cost = lazySchema(() =>
  z.object({
    'extra resources': amount(),
    'expedite fees': amount(),
    'setup change': amount(),
    'delayed production': amount(),
    other: amount(),
  }),
);

export const occurrenceEntity = defineEntity({
  type: 'Occurrence',
  schema: lazySchema(() =>
    z.object({
      id: z.string(),
      issueId: z.string(),
      workspaceId: z.string(),
      occurredOn: z.string(),
      reference: z._default(z.string(), ''),
      detectedAt: z.enum(detectionStages),
      cost: z._default(cost, emptyCost),
      totalCost: z.number(),
      currency: z.string(),
      notes: z._default(z.string(), ''),
      reporter: z.string(),
      commitmentId: z._default(z.nullable(z.string()), null),
      loggedAt: z.string(),
      updatedAt: z.string(),
      updatedBy: z.string(),
      version: z.number(),
    }),
  ),
  keys: (occurrence) => occurrenceKey(occurrence.workspaceId, occurrence.issueId, occurrence.id),
});

export const toOccurrence = (item: Record<string, unknown>): Occurrence => occurrenceEntity.parse(item);

/** A new occurrence, never written over another. */
export const occurrencePut = (occurrence: Occurrence): TransactItem =>
  named('occurrence', occurrenceEntity.put(occurrence, { condition: 'attribute_not_exists(pk)' }));

/** A corrected occurrence's new version, conditional on the version the correction was based on. */
export function occurrenceCorrection(after: Occurrence, expectedVersion: number): TransactItem {
  const { id: _id, issueId: _issueId, workspaceId: _ws, ...stored } = after;
  const sets = Object.keys(stored).map((field) => `#f_${field} = :f_${field}`);
  const names = Object.fromEntries(Object.keys(stored).map((field) => [`#f_${field}`, field]));
  const values = Object.fromEntries(Object.entries(stored).map(([field, value]) => [`:f_${field}`, value]));
  return named('occurrence', {
    Update: {
      TableName: tableName(),
      Key: occurrenceKey(after.workspaceId, after.issueId, after.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#f_version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':expected': expectedVersion },
    },
  });
}

/**
 * The issue's aggregates moved by `delta`, on an existing issue that counts
 * its cost in `currency` (named `issue`: a failure is a missing issue or
 * another currency).
 */
export function issueAggregatesUpdate(input: {
  workspaceId: string;
  issueId: string;
  delta: Map<string, number>;
  currency: string;
  now: string;
  logged: boolean;
}): TransactItem {
  const update = aggregateUpdate(input.delta, input.now, input.logged ? ['lastLoggedAt = :now'] : []);
  return named('issue', {
    Update: {
      TableName: tableName(),
      Key: issueKey(input.workspaceId, input.issueId),
      UpdateExpression: update.clause,
      ConditionExpression: 'attribute_exists(pk) AND currency = :currency',
      ExpressionAttributeNames: update.names,
      ExpressionAttributeValues: {
        ...update.values,
        ':currency': input.currency,
        ...(input.logged ? { ':now': input.now } : {}),
      },
    },
  });
}

/**
 * The issue's aggregates moved by `delta`, creating the issue from `created`
 * when it is missing: every field is set with `if_not_exists`, so two writers
 * racing create one issue and both deltas count (named `issue`: a failure is
 * an existing issue in another currency).
 */
export function issueAggregatesUpsert(input: {
  workspaceId: string;
  issueId: string;
  created: Record<string, unknown>;
  delta: Map<string, number>;
  currency: string;
  now: string;
}): TransactItem {
  const setNames: Record<string, string> = {};
  const setValues: Record<string, unknown> = {};
  const sets = Object.entries(input.created).map(([field, value], index) => {
    setNames[`#s${index}`] = field;
    setValues[`:s${index}`] = value;
    return `#s${index} = if_not_exists(#s${index}, :s${index})`;
  });
  const update = aggregateUpdate(input.delta, input.now, [...sets, 'lastLoggedAt = :now']);
  return named('issue', {
    Update: {
      TableName: tableName(),
      Key: issueKey(input.workspaceId, input.issueId),
      UpdateExpression: update.clause,
      ConditionExpression: 'attribute_not_exists(pk) OR currency = :currency',
      ExpressionAttributeNames: { ...setNames, ...update.names },
      ExpressionAttributeValues: { ...setValues, ...update.values, ':currency': input.currency, ':now': input.now },
    },
  });
}

export async function getOccurrence(workspaceId: string, issueId: string, occurrenceId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: occurrenceKey(workspaceId, issueId, occurrenceId), ConsistentRead: true }),
  );
  return Item ? toOccurrence(Item) : undefined;
}

/** One page of an issue's occurrences, newest logged first. */
export function listOccurrences(workspaceId: string, issueId: string, page: { limit: number; cursor?: string }) {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': occurrencePk(workspaceId, issueId), ':prefix': 'OCC#' },
      ScanIndexForward: false,
    },
    page,
    toOccurrence,
  );
}
