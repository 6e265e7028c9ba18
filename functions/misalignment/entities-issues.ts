import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import {
  earliestStage,
  type IssueCategory,
  type IssueDecision,
  type IssueStatus,
  issueCategories,
  issueStatuses,
  type MisalignmentIssue,
} from '#contract/misalignment/misalignment';
import { type MemberFunction, memberFunctions } from '#contract/workspaces/members';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity } from '#functions/table/entity';
import { issueKey, issuePrefix } from '#functions/table/keys';
import { named, type TransactItem } from '#functions/table/transactions';
import { aggregatesOf, zeroAggregates } from './entities-aggregates';

/**
 * Issues sit in the workspace partition under `ISSUE#<id>`, so listing and
 * ranking are one Query over `ISSUE#` that never touches an occurrence.
 */

/** The fields a person edits (not the aggregates); audit events record these. */
export const identityFields = [
  'title',
  'description',
  'category',
  'status',
  'itemIds',
  'functions',
  'owner',
  'cycleId',
  'meetingIds',
  'thresholdVersionIds',
] as const;

export interface IssueFields {
  title: string;
  description: string;
  category: IssueCategory;
  itemIds: string[];
  functions: MemberFunction[];
  owner: string | null;
  cycleId: string | null;
  meetingIds: string[];
  thresholdVersionIds: string[];
}

const status = lazySchema(() => z.enum(issueStatuses));
const ids = () => z._default(z.array(z.string()), () => []);
const nullableText = () => z._default(z.nullable(z.string()), null);

const decision = lazySchema(() =>
  z.object({
    meetingId: z.string(),
    decisionId: z.string(),
    from: status,
    to: status,
    decidedAt: z.string(),
    decidedBy: z.string(),
  }),
);

/** The stored issue: its fields, and (loose) the flat aggregate attributes `aggregatesOf` reads. */
const storedIssue = lazySchema(() =>
  z.looseObject({
    id: z.string(),
    workspaceId: z.string(),
    title: z.string(),
    description: z._default(z.string(), ''),
    category: z.enum(issueCategories),
    status,
    itemIds: ids(),
    functions: z._default(z.array(z.enum(memberFunctions)), () => []),
    owner: nullableText(),
    currency: z.string(),
    cycleId: nullableText(),
    meetingIds: ids(),
    thresholdVersionIds: ids(),
    decisions: z._default(z.array(decision), () => []),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
    lastLoggedAt: nullableText(),
  }),
);

export const issueEntity = defineEntity({
  type: 'MisalignmentIssue',
  schema: lazySchema(() =>
    z.pipe(
      storedIssue,
      z.transform((item): MisalignmentIssue => {
        const aggregates = aggregatesOf(item);
        return {
          id: item.id,
          workspaceId: item.workspaceId,
          title: item.title,
          description: item.description,
          category: item.category,
          status: item.status,
          itemIds: item.itemIds,
          functions: item.functions,
          owner: item.owner,
          currency: item.currency,
          cycleId: item.cycleId,
          meetingIds: item.meetingIds,
          thresholdVersionIds: item.thresholdVersionIds,
          decisions: item.decisions,
          createdBy: item.createdBy,
          createdAt: item.createdAt,
          updatedAt: item.updatedAt,
          version: item.version,
          ...aggregates,
          lastLoggedAt: item.lastLoggedAt,
          earliestDetection: earliestStage(aggregates.stageCounts),
        };
      }),
    ),
  ),
  keys: (issue) => issueKey(issue.workspaceId, issue.id),
});

/** An issue as read from a stored item (or the current item a failed condition returned). */
export const toIssue = (item: Record<string, unknown>): MisalignmentIssue => issueEntity.parse(item);

/** The parts of an issue a person edits (not its aggregates), as audit events record them. */
export function identityOf(issue: MisalignmentIssue) {
  return { ...Object.fromEntries(identityFields.map((field) => [field, issue[field]])), version: issue.version };
}

/**
 * The item of a new issue: its fields, the lower-case title the filter
 * searches, and every aggregate at zero (stored flat, see entities-aggregates).
 */
export function newIssuePut(issue: MisalignmentIssue): TransactItem {
  const identity = Object.fromEntries(identityFields.map((field) => [field, issue[field]]));
  return named('issue', {
    Put: {
      TableName: tableName(),
      Item: {
        ...issueKey(issue.workspaceId, issue.id),
        type: issueEntity.type,
        id: issue.id,
        workspaceId: issue.workspaceId,
        ...identity,
        titleLower: issue.title.toLowerCase(),
        currency: issue.currency,
        createdBy: issue.createdBy,
        createdAt: issue.createdAt,
        updatedAt: issue.updatedAt,
        version: issue.version,
        ...zeroAggregates(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

/** The edit of an issue's fields, conditional on the version it was based on; aggregates are left alone. */
export function issueFieldsUpdate(
  after: MisalignmentIssue,
  patch: Partial<IssueFields> & { status?: IssueStatus },
  expectedVersion: number,
): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':now': after.updatedAt, ':next': after.version };
  const sets = ['updatedAt = :now', 'version = :next'];
  for (const field of identityFields) {
    if (patch[field] === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = after[field];
    sets.push(`#${field} = :${field}`);
  }
  if (patch.title !== undefined) {
    values[':titleLower'] = after.title.toLowerCase();
    sets.push('titleLower = :titleLower');
  }
  return named('issue', {
    Update: {
      TableName: tableName(),
      Key: issueKey(after.workspaceId, after.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
      ExpressionAttributeValues: values,
    },
  });
}

/**
 * A meeting decision's move of the issue's status, conditional on the
 * version and status it was decided on, with the decision kept on the issue.
 */
export function issueDecisionUpdate(before: MisalignmentIssue, after: MisalignmentIssue, decision: IssueDecision) {
  return {
    Update: {
      TableName: tableName(),
      Key: issueKey(before.workspaceId, before.id),
      UpdateExpression:
        'SET #status = :status, meetingIds = :meetingIds, decisions = list_append(if_not_exists(decisions, :none), :decision), updatedAt = :now, version = :next',
      ConditionExpression: 'version = :expected AND #status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': after.status,
        ':from': before.status,
        ':meetingIds': after.meetingIds,
        ':none': [],
        ':decision': [decision],
        ':now': after.updatedAt,
        ':next': after.version,
        ':expected': before.version,
      },
    },
  } satisfies TransactItem;
}

export async function getIssue(workspaceId: string, issueId: string): Promise<MisalignmentIssue | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: issueKey(workspaceId, issueId), ConsistentRead: true }),
  );
  return Item ? toIssue(Item) : undefined;
}

export { issueKey, issuePrefix };
