import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CostBreakdown,
  type CostType,
  costTypes,
  type DetectionStage,
  detectionStages,
  earliestStage,
  emptyCost,
  emptyStageCounts,
  fromMinor,
  type IssueCategory,
  type IssueDecision,
  type IssueHistory,
  type IssueStatus,
  inRecentWindow,
  type MisalignmentIssue,
  monthBefore,
  type Occurrence,
  recentMonths,
  recentWindow,
  seenRange,
  statusChangeRefusal,
  toMinor,
} from '#contract/misalignment/misalignment';
import type { Caller } from '#contract/views';
import type { MemberFunction } from '#contract/workspaces/members';
import { auditPut } from '#functions/audit/audit';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { transactWriteUnderContention } from '#functions/table/contention';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { brokenReference, type Reference, referenceChecks, referencesOf } from '#functions/table/references';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import {
  issueDayKey,
  issueDayPrefix,
  issueDaysGsiPk,
  issueDaysGsiSk,
  issueKey,
  issuePrefix,
  leadTimeIssueId,
  occurrenceKey,
  occurrencePk,
  timeOrderedId,
} from './misalignment-keys';

type Actor = Pick<Caller, 'email' | 'name'>;

/**
 * Aggregates live on the issue item as flat numeric attributes so every
 * occurrence write can change them with one atomic ADD, exact however many
 * writes race: `cost#<type>` and `totalCostMinor` in minor units,
 * `stage#<stage>` counts, and `recentCost#<YYYY-MM>` for the months of the
 * recent window. The item's size does not grow with occurrences or with the
 * days they fall on (those go to the issue's `DAY#` items), so the ranking
 * reads 2,000 issues in the same bytes whether they occurred 1,000 or
 * 100,000 times.
 */
const costAttr = (type: CostType) => `cost#${type}`;
const stageAttr = (stage: DetectionStage) => `stage#${stage}`;
const recentCostPrefix = 'recentCost#';
/**
 * How many months before the recent window each occurrence write clears.
 * Months that fell out of the window are removed by name (removing a missing
 * attribute is a no-op), so an issue keeps at most the window's buckets plus
 * those left by a burst more than this long before its next occurrence.
 */
const prunedMonths = 12;

const identityFields = [
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

export function toIssue(item: Record<string, unknown>): MisalignmentIssue {
  const costByType = emptyCost();
  for (const type of costTypes) costByType[type] = fromMinor(Number(item[costAttr(type)] ?? 0));
  const stageCounts = emptyStageCounts();
  for (const stage of detectionStages) stageCounts[stage] = Number(item[stageAttr(stage)] ?? 0);
  const recentCostByMonth: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(recentCostPrefix)) recentCostByMonth[name.slice(recentCostPrefix.length)] = fromMinor(Number(value));
  }
  return {
    id: item.id as string,
    workspaceId: item.workspaceId as string,
    title: item.title as string,
    description: (item.description as string) ?? '',
    category: item.category as IssueCategory,
    status: item.status as IssueStatus,
    itemIds: (item.itemIds as string[]) ?? [],
    functions: (item.functions as MemberFunction[]) ?? [],
    owner: (item.owner as string | null) ?? null,
    currency: item.currency as string,
    cycleId: (item.cycleId as string | null) ?? null,
    meetingIds: (item.meetingIds as string[]) ?? [],
    thresholdVersionIds: (item.thresholdVersionIds as string[]) ?? [],
    decisions: (item.decisions as IssueDecision[]) ?? [],
    createdBy: item.createdBy as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
    occurrenceCount: Number(item.occurrenceCount ?? 0),
    totalCost: fromMinor(Number(item.totalCostMinor ?? 0)),
    costByType,
    stageCounts,
    recentCostByMonth,
    lastLoggedAt: (item.lastLoggedAt as string | null) ?? null,
    earliestDetection: earliestStage(stageCounts),
  };
}

function toOccurrence(item: Record<string, unknown>): Occurrence {
  return {
    id: item.id as string,
    issueId: item.issueId as string,
    workspaceId: item.workspaceId as string,
    occurredOn: item.occurredOn as string,
    reference: (item.reference as string) ?? '',
    detectedAt: item.detectedAt as DetectionStage,
    cost: { ...emptyCost(), ...(item.cost as Partial<CostBreakdown>) },
    totalCost: item.totalCost as number,
    currency: item.currency as string,
    notes: (item.notes as string) ?? '',
    reporter: item.reporter as string,
    commitmentId: (item.commitmentId as string | null) ?? null,
    loggedAt: item.loggedAt as string,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
    version: item.version as number,
  };
}

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

export interface NewIssue extends IssueFields {
  currency: string;
}

function issueItem(issue: MisalignmentIssue) {
  const aggregates: Record<string, number> = { occurrenceCount: 0, totalCostMinor: 0 };
  for (const type of costTypes) aggregates[costAttr(type)] = 0;
  for (const stage of detectionStages) aggregates[stageAttr(stage)] = 0;
  const identity = Object.fromEntries(identityFields.map((field) => [field, issue[field]]));
  return {
    ...issueKey(issue.workspaceId, issue.id),
    type: 'MisalignmentIssue',
    id: issue.id,
    workspaceId: issue.workspaceId,
    ...identity,
    titleLower: issue.title.toLowerCase(),
    currency: issue.currency,
    createdBy: issue.createdBy,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    version: issue.version,
    ...aggregates,
  };
}

/** The parts of an issue a person edits (not its aggregates), as audit events record them. */
function identityOf(issue: MisalignmentIssue) {
  return { ...Object.fromEntries(identityFields.map((field) => [field, issue[field]])), version: issue.version };
}

/** What an issue's fields name: each must be a record (or, for the owner, a member) of the issue's workspace. */
function issueReferences(fields: Partial<IssueFields>): Reference[] {
  return [
    ...referencesOf('body.itemIds', 'portfolioItem', fields.itemIds ?? []),
    ...referencesOf('body.owner', 'member', [fields.owner]),
    ...referencesOf('body.cycleId', 'cycle', [fields.cycleId]),
    ...referencesOf('body.meetingIds', 'meeting', fields.meetingIds ?? []),
    ...referencesOf('body.thresholdVersionIds', 'threshold', fields.thresholdVersionIds ?? []),
  ];
}

/** Logs a new misalignment issue, with no occurrences yet. */
export async function createIssue(workspaceId: string, input: NewIssue, actor: Actor, now: string): Promise<MisalignmentIssue> {
  const issue = toIssue({
    ...input,
    id: timeOrderedId(),
    workspaceId,
    status: 'open',
    createdBy: actor.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const items: TransactItem[] = [
    { Put: { TableName: tableName(), Item: issueItem(issue), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut({
      workspaceId,
      actor,
      action: 'misalignmentIssue.created',
      entity: 'misalignmentIssue',
      entityId: issue.id,
      after: identityOf(issue),
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, issueReferences(input), items)));
  try {
    await transactWrite(items);
  } catch (error) {
    throw brokenReference(error, items) ?? error;
  }
  return issue;
}

export async function getIssue(workspaceId: string, issueId: string): Promise<MisalignmentIssue | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: issueKey(workspaceId, issueId), ConsistentRead: true }),
  );
  return Item ? toIssue(Item) : undefined;
}

export async function requireIssue(workspaceId: string, issueId: string): Promise<MisalignmentIssue> {
  const issue = await getIssue(workspaceId, issueId);
  if (!issue) throw new NotFound('Misalignment issue not found');
  return issue;
}

/**
 * Edits an issue's fields and status, conditional on the version the edit
 * was based on. Aggregates are left alone, so an occurrence logged meanwhile
 * does not make the edit stale.
 */
export async function updateIssue(
  workspaceId: string,
  issueId: string,
  patch: Partial<IssueFields> & { status?: IssueStatus },
  expectedVersion: number,
  actor: Actor,
  now: string,
): Promise<MisalignmentIssue> {
  const before = await requireIssue(workspaceId, issueId);
  if (before.version !== expectedVersion) {
    throw new Conflict(`The issue changed since version ${expectedVersion}; it is now version ${before.version}`, {
      current: before,
    });
  }
  if (patch.status) {
    const refusal = statusChangeRefusal(before.status, patch.status);
    if (refusal) throw new Conflict(refusal, { current: before });
  }
  const after: MisalignmentIssue = { ...before, ...patch, updatedAt: now, version: before.version + 1 };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':now': now, ':next': after.version };
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
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: issueKey(workspaceId, issueId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
        ExpressionAttributeValues: values,
      },
    },
    auditPut({
      workspaceId,
      actor,
      action: 'misalignmentIssue.updated',
      entity: 'misalignmentIssue',
      entityId: issueId,
      before: identityOf(before),
      after: identityOf(after),
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, issueReferences(patch), items)));
  try {
    await transactWrite(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The issue changed since version ${expectedVersion}`, {
        current: error.current ? toIssue(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}

export interface IssueFilters {
  category?: IssueCategory;
  status?: IssueStatus;
  itemId?: string;
  function?: MemberFunction;
  owner?: string;
  /** Title contains this text, case-insensitive. */
  q?: string;
}

function filterExpression(filters: IssueFilters) {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const add = (clause: string, name: string, value: unknown) => {
    clauses.push(clause);
    names[`#${name}`] = name;
    values[`:${name}`] = value;
  };
  if (filters.category) add('#category = :category', 'category', filters.category);
  if (filters.status) add('#status = :status', 'status', filters.status);
  if (filters.owner) add('#owner = :owner', 'owner', filters.owner);
  if (filters.itemId) {
    clauses.push('contains(#itemIds, :itemId)');
    names['#itemIds'] = 'itemIds';
    values[':itemId'] = filters.itemId;
  }
  if (filters.function) {
    clauses.push('contains(#functions, :function)');
    names['#functions'] = 'functions';
    values[':function'] = filters.function;
  }
  if (filters.q) add('contains(#titleLower, :titleLower)', 'titleLower', filters.q.toLowerCase());
  return clauses.length === 0
    ? {}
    : { FilterExpression: clauses.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

function issueQuery(workspaceId: string, filters: IssueFilters) {
  const filter = filterExpression(filters);
  return {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ...filter,
    ExpressionAttributeValues: {
      ':pk': issueKey(workspaceId, '').pk,
      ':prefix': issuePrefix,
      ...filter.ExpressionAttributeValues,
    },
  };
}

/**
 * One page of the issue log, newest first. Filters apply within the page
 * DynamoDB read, so a filtered page can hold fewer than `limit` issues while
 * more follow: keep going while `nextCursor` is set.
 */
export function listIssues(
  workspaceId: string,
  filters: IssueFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<MisalignmentIssue>> {
  return queryPage({ ...issueQuery(workspaceId, filters), ScanIndexForward: false }, page, toIssue);
}

/**
 * Every issue of the workspace (matching the filters): one paginated Query
 * over the issue items, never over occurrences. Ranking, Pareto and the CSV
 * export read this.
 */
export function allIssues(workspaceId: string, filters: IssueFilters = {}): Promise<MisalignmentIssue[]> {
  return queryAll({ ...issueQuery(workspaceId, filters), ScanIndexForward: false }, toIssue);
}

/** An issue's history from its `DAY#` items: one Query bounded by the days it occurred on, never its occurrences. */
export async function issueHistory(workspaceId: string, issueId: string): Promise<IssueHistory> {
  const days = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': occurrencePk(workspaceId, issueId), ':prefix': issueDayPrefix },
      ConsistentRead: true,
    },
    (item) => ({ day: item.day as string, count: Number(item.occurrenceCount), costMinor: Number(item.costMinor) }),
  );
  const costByDay: Record<string, number> = {};
  const countByDay: Record<string, number> = {};
  for (const { day, count, costMinor } of days) {
    if (count <= 0) continue;
    countByDay[day] = count;
    costByDay[day] = fromMinor(costMinor);
  }
  return { ...seenRange(countByDay), costByDay, countByDay };
}

/**
 * The days each issue occurred on within [from, to] (either end open), in
 * day order, from one Query over the workspace's issue days on gsi1: its
 * reads are bounded by the range asked for, not by the whole log.
 */
export function issueDays(workspaceId: string, range: { from?: string; to?: string } = {}) {
  return queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      FilterExpression: 'occurrenceCount > :none',
      ProjectionExpression: 'issueId, #day',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: {
        ':pk': issueDaysGsiPk(workspaceId),
        ':from': range.from ?? '0000',
        // Keys are `<day>#<issueId>`; `~` sorts after `#`, so the range keeps every issue of its last day.
        ':to': `${range.to ?? '9999'}~`,
        ':none': 0,
      },
    },
    (item) => ({ issueId: item.issueId as string, day: item.day as string }),
  );
}

/** First and last day of each issue among days in day order; issues without a day are absent. */
export function seenRanges(days: Array<{ issueId: string; day: string }>) {
  const seen = new Map<string, { firstSeen: string; lastSeen: string }>();
  for (const { issueId, day } of days) seen.set(issueId, { firstSeen: seen.get(issueId)?.firstSeen ?? day, lastSeen: day });
  return seen;
}

/** First and last day each issue occurred on within [from, to]; issues that did not occur in it are absent. */
export async function issuesSeen(workspaceId: string, range: { from?: string; to?: string } = {}) {
  return seenRanges(await issueDays(workspaceId, range));
}

/**
 * Every issue of the workspace with only what a ranking reads: identity,
 * status, cost and count aggregates, detection stages and the recent window's
 * monthly buckets (named for the months of the window at `now`). One
 * paginated Query like {@link allIssues}, but the answer carries the same few
 * attributes per issue however much else the issue has gathered (notes,
 * links, decisions, buckets of months gone by).
 */
export function rankingIssues(workspaceId: string, now: string): Promise<MisalignmentIssue[]> {
  const wanted = [
    'id',
    'workspaceId',
    'title',
    'category',
    'status',
    'currency',
    'occurrenceCount',
    'totalCostMinor',
    ...detectionStages.map(stageAttr),
    ...recentWindow(now).map((month) => `${recentCostPrefix}${month}`),
  ];
  const names = Object.fromEntries(wanted.map((name, index) => [`#p${index}`, name]));
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': issueKey(workspaceId, '').pk, ':prefix': issuePrefix },
      ScanIndexForward: false,
    },
    toIssue,
  );
}

export interface OccurrenceInput {
  occurredOn: string;
  reference: string;
  detectedAt: DetectionStage;
  cost: Partial<CostBreakdown>;
  currency: string;
  notes: string;
}

function normalisedCost(cost: Partial<CostBreakdown>): CostBreakdown {
  const result = emptyCost();
  for (const type of costTypes) result[type] = fromMinor(toMinor(cost[type] ?? 0));
  return result;
}

type Dated = Pick<Occurrence, 'occurredOn' | 'detectedAt' | 'cost'>;

/**
 * Attribute deltas an occurrence adds to its issue (sign -1 takes a corrected
 * version back out). Its month's recent bucket moves only while that month is
 * in the recent window at `now`: an older month never counts again, and its
 * bucket has been, or will be, cleared.
 */
function aggregateDelta(occurrence: Dated, sign: 1 | -1, now: string) {
  const delta = new Map<string, number>();
  const add = (name: string, value: number) => delta.set(name, (delta.get(name) ?? 0) + sign * value);
  const totalMinor = costTypes.reduce((sum, type) => sum + toMinor(occurrence.cost[type]), 0);
  add('occurrenceCount', 1);
  add('totalCostMinor', totalMinor);
  for (const type of costTypes) add(costAttr(type), toMinor(occurrence.cost[type]));
  add(stageAttr(occurrence.detectedAt), 1);
  if (inRecentWindow(occurrence.occurredOn, now)) add(`${recentCostPrefix}${occurrence.occurredOn.slice(0, 7)}`, totalMinor);
  return delta;
}

function mergeDeltas(...deltas: Array<Map<string, number>>) {
  const merged = new Map<string, number>();
  for (const delta of deltas) for (const [name, value] of delta) merged.set(name, (merged.get(name) ?? 0) + value);
  return merged;
}

/**
 * The issue's update for the deltas: `ADD` clauses (atomic, so concurrent
 * occurrences never lose each other's counts) and a `REMOVE` of the recent
 * buckets that fell out of the window, plus any extra `SET` clauses.
 */
function aggregateUpdate(delta: Map<string, number>, now: string, sets: string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  let index = 0;
  for (const [name, value] of delta) {
    if (value === 0 && name !== 'occurrenceCount') continue;
    names[`#a${index}`] = name;
    values[`:a${index}`] = value;
    adds.push(`#a${index} :a${index}`);
    index += 1;
  }
  const removes = Array.from({ length: prunedMonths }, (_, offset) => {
    names[`#r${offset}`] = `${recentCostPrefix}${monthBefore(now, recentMonths + offset)}`;
    return `#r${offset}`;
  });
  const clause = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
    `REMOVE ${removes.join(', ')}`,
  ]
    .filter(Boolean)
    .join(' ');
  return { clause, names, values };
}

/** A day's count and cost an occurrence adds to (sign -1: takes out of) its issue's history. */
const dayDelta = (occurrence: Dated, sign: 1 | -1) => ({
  day: occurrence.occurredOn,
  count: sign,
  costMinor: sign * costTypes.reduce((sum, type) => sum + toMinor(occurrence.cost[type]), 0),
});

/**
 * The updates of the issue's `DAY#` items for the day deltas, merged per day;
 * a correction that changes neither date nor cost leaves them alone. Counts
 * may reach zero (an occurrence corrected to another day); readers skip those.
 */
function issueDayUpdates(workspaceId: string, issueId: string, deltas: Array<ReturnType<typeof dayDelta>>) {
  const byDay = new Map<string, { count: number; costMinor: number }>();
  for (const delta of deltas) {
    const current = byDay.get(delta.day) ?? { count: 0, costMinor: 0 };
    byDay.set(delta.day, { count: current.count + delta.count, costMinor: current.costMinor + delta.costMinor });
  }
  return [...byDay]
    .filter(([, delta]) => delta.count !== 0 || delta.costMinor !== 0)
    .map(([day, delta]) => ({
      Update: {
        TableName: tableName(),
        Key: issueDayKey(workspaceId, issueId, day),
        UpdateExpression:
          'SET #type = :type, issueId = :issueId, #day = :day, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk ADD occurrenceCount :count, costMinor :cost',
        ExpressionAttributeNames: { '#type': 'type', '#day': 'day' },
        ExpressionAttributeValues: {
          ':type': 'IssueDay',
          ':issueId': issueId,
          ':day': day,
          ':gsi1pk': issueDaysGsiPk(workspaceId),
          ':gsi1sk': issueDaysGsiSk(day, issueId),
          ':count': delta.count,
          ':cost': delta.costMinor,
        },
      },
    }));
}

function occurrenceOf(
  workspaceId: string,
  issueId: string,
  input: OccurrenceInput,
  actor: Actor,
  now: string,
  commitmentId: string | null,
): Occurrence {
  const cost = normalisedCost(input.cost);
  return {
    id: timeOrderedId(Date.parse(now) || Date.now()),
    issueId,
    workspaceId,
    occurredOn: input.occurredOn,
    reference: input.reference,
    detectedAt: input.detectedAt,
    cost,
    totalCost: fromMinor(costTypes.reduce((sum, type) => sum + toMinor(cost[type]), 0)),
    currency: input.currency,
    notes: input.notes,
    reporter: actor.email,
    commitmentId,
    loggedAt: now,
    updatedAt: now,
    updatedBy: actor.email,
    version: 1,
  };
}

/** A new occurrence and its audit event: the writes every way of logging one shares, beside its issue's update. */
const occurrenceLogged = (occurrence: Occurrence, actor: Pick<Caller, 'email' | 'name'>, now: string) => [
  {
    Put: {
      TableName: tableName(),
      Item: {
        ...occurrenceKey(occurrence.workspaceId, occurrence.issueId, occurrence.id),
        type: 'Occurrence',
        ...occurrence,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  auditPut({
    workspaceId: occurrence.workspaceId,
    actor,
    action: 'occurrence.logged',
    entity: 'occurrence',
    entityId: occurrence.id,
    after: occurrence,
    at: now,
  }),
];

function currencyMismatch(current: Record<string, unknown> | undefined, currency: string): never {
  if (!current) throw new NotFound('Misalignment issue not found');
  throw new ValidationFailed([
    {
      field: 'body.currency',
      message: `must be ${String(current.currency)}, the currency this issue counts its cost in (got ${currency})`,
    },
  ]);
}

/**
 * Logs one occurrence and adds it to the issue's aggregates in the same
 * transaction, so the aggregates always equal the sum of the occurrences.
 */
export async function logOccurrence(
  workspaceId: string,
  issueId: string,
  input: OccurrenceInput,
  actor: Actor,
  now: string,
): Promise<Occurrence> {
  const occurrence = occurrenceOf(workspaceId, issueId, input, actor, now, null);
  const update = aggregateUpdate(aggregateDelta(occurrence, 1, now), now, ['lastLoggedAt = :now']);
  try {
    await transactWriteUnderContention([
      {
        Update: {
          TableName: tableName(),
          Key: issueKey(workspaceId, issueId),
          UpdateExpression: update.clause,
          ConditionExpression: 'attribute_exists(pk) AND currency = :currency',
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: { ...update.values, ':currency': occurrence.currency, ':now': now },
        },
      },
      ...issueDayUpdates(workspaceId, issueId, [dayDelta(occurrence, 1)]),
      ...occurrenceLogged(occurrence, actor, now),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) currencyMismatch(error.current, occurrence.currency);
    throw error;
  }
  return occurrence;
}

export async function getOccurrence(workspaceId: string, issueId: string, occurrenceId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: occurrenceKey(workspaceId, issueId, occurrenceId), ConsistentRead: true }),
  );
  return Item ? toOccurrence(Item) : undefined;
}

/**
 * Corrects an occurrence: a new version, conditional on the one it was based
 * on, with the issue's aggregates moved by the difference in the same
 * transaction. The audit event keeps the version it replaced; occurrences are
 * never deleted.
 */
export async function correctOccurrence(
  workspaceId: string,
  issueId: string,
  occurrenceId: string,
  patch: Partial<OccurrenceInput>,
  expectedVersion: number,
  actor: Actor,
  now: string,
  mayCorrect: (occurrence: Occurrence) => boolean,
): Promise<Occurrence> {
  const before = await getOccurrence(workspaceId, issueId, occurrenceId);
  if (!before) throw new NotFound('Occurrence not found');
  if (before.version !== expectedVersion) {
    throw new Conflict(`The occurrence changed since version ${expectedVersion}; it is now version ${before.version}`, {
      current: before,
    });
  }
  if (!mayCorrect(before)) throw new Forbidden('Only the person who reported an occurrence, or a manager, may correct it');
  const cost = patch.cost ? normalisedCost(patch.cost) : before.cost;
  const after: Occurrence = {
    ...before,
    ...patch,
    cost,
    totalCost: fromMinor(costTypes.reduce((sum, type) => sum + toMinor(cost[type]), 0)),
    updatedAt: now,
    updatedBy: actor.email,
    version: before.version + 1,
  };
  const update = aggregateUpdate(mergeDeltas(aggregateDelta(before, -1, now), aggregateDelta(after, 1, now)), now);
  const { id: _id, issueId: _issueId, workspaceId: _ws, ...stored } = after;
  const sets = Object.keys(stored).map((field) => `#f_${field} = :f_${field}`);
  const names = Object.fromEntries(Object.keys(stored).map((field) => [`#f_${field}`, field]));
  const values = Object.fromEntries(Object.entries(stored).map(([field, value]) => [`:f_${field}`, value]));
  try {
    await transactWriteUnderContention([
      {
        Update: {
          TableName: tableName(),
          Key: occurrenceKey(workspaceId, issueId, occurrenceId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#f_version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':expected': expectedVersion },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: issueKey(workspaceId, issueId),
          UpdateExpression: update.clause,
          ConditionExpression: 'attribute_exists(pk) AND currency = :currency',
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: { ...update.values, ':currency': after.currency },
        },
      },
      ...issueDayUpdates(workspaceId, issueId, [dayDelta(before, -1), dayDelta(after, 1)]),
      auditPut({
        workspaceId,
        actor,
        action: 'occurrence.corrected',
        entity: 'occurrence',
        entityId: occurrenceId,
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The occurrence changed since version ${expectedVersion}`, {
        current: error.current ? toOccurrence(error.current) : undefined,
      });
    }
    if (error instanceof TransactionConditionFailed && error.index === 1) currencyMismatch(error.current, after.currency);
    throw error;
  }
  return after;
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

/** What a promise-check commitment tells the lead-time issue about itself. */
export interface CommitmentRef {
  id: string;
  /** Customer or deal the commitment was made for. */
  reference?: string;
  /** Day the commitment was recorded, YYYY-MM-DD; defaults to `now`'s day. */
  occurredOn?: string;
  /** Cost known at commitment time (usually none yet), in `currency`. */
  cost?: Partial<CostBreakdown>;
  currency?: string;
  notes?: string;
  /** Shown in the title of a newly created issue, e.g. the item's code. */
  itemLabel?: string;
}

/**
 * The transaction items that log an occurrence of the "lead time" issue of
 * one portfolio item in one budget cycle, for a commitment recorded on a
 * "beyond" promise-check answer. The caller adds them to the transaction that
 * records the commitment, so both happen or neither does.
 *
 * The issue is created when missing: its id is derived from workspace, item
 * and cycle, and every identity field is set with `if_not_exists`, so two
 * commitments racing create one issue and both occurrences count.
 */
export function leadTimeOccurrenceWrites(input: {
  workspaceId: string;
  itemId: string;
  cycleId: string;
  commitment: CommitmentRef;
  actor: Actor;
  now: string;
}) {
  const { workspaceId, itemId, cycleId, commitment, actor, now } = input;
  const issueId = leadTimeIssueId(workspaceId, itemId, cycleId);
  const currency = commitment.currency ?? 'EUR';
  const occurrence = occurrenceOf(
    workspaceId,
    issueId,
    {
      occurredOn: commitment.occurredOn ?? now.slice(0, 10),
      reference: commitment.reference ?? '',
      detectedAt: 'quoting',
      cost: commitment.cost ?? {},
      currency,
      notes: commitment.notes ?? 'Committed on a "beyond" promise-check answer',
    },
    actor,
    now,
    commitment.id,
  );
  const title = `Lead time promised beyond capacity: ${commitment.itemLabel ?? itemId}`;
  const created: Record<string, unknown> = {
    type: 'MisalignmentIssue',
    id: issueId,
    workspaceId,
    title,
    titleLower: title.toLowerCase(),
    description: 'Commitments recorded on "beyond" promise-check answers for this item in this cycle.',
    category: 'lead time',
    status: 'open',
    itemIds: [itemId],
    functions: ['sales', 'operations'],
    owner: null,
    cycleId,
    meetingIds: [],
    thresholdVersionIds: [],
    currency,
    createdBy: actor.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const setNames: Record<string, string> = {};
  const setValues: Record<string, unknown> = {};
  const sets = Object.entries(created).map(([field, value], index) => {
    setNames[`#s${index}`] = field;
    setValues[`:s${index}`] = value;
    return `#s${index} = if_not_exists(#s${index}, :s${index})`;
  });
  const update = aggregateUpdate(aggregateDelta(occurrence, 1, now), now, [...sets, 'lastLoggedAt = :now']);
  const items = [
    {
      Update: {
        TableName: tableName(),
        Key: issueKey(workspaceId, issueId),
        UpdateExpression: update.clause,
        ConditionExpression: 'attribute_not_exists(pk) OR currency = :currency',
        ExpressionAttributeNames: { ...setNames, ...update.names },
        ExpressionAttributeValues: { ...setValues, ...update.values, ':currency': currency, ':now': now },
      },
    },
    ...issueDayUpdates(workspaceId, issueId, [dayDelta(occurrence, 1)]),
    ...occurrenceLogged(occurrence, actor, now),
  ];
  return { issueId, occurrence, items };
}

/**
 * The writes of a meeting decision that moves an issue's status, for the
 * decision's transaction: the issue's status (allowed transitions only,
 * conditional on the version read here, so an edit meanwhile fails the whole
 * decision), the meeting added to its meetings and the decision recorded on
 * it (the link back), and its audit event.
 */
export async function decisionStatusWrites(input: {
  workspaceId: string;
  issueId: string;
  status: IssueStatus;
  meetingId: string;
  decisionId: string;
  actor: Actor;
  now: string;
}): Promise<TransactItem[]> {
  const { workspaceId, issueId, actor, now } = input;
  const before = await requireIssue(workspaceId, issueId);
  const refusal = statusChangeRefusal(before.status, input.status);
  if (refusal) throw new Conflict(refusal, { current: before });
  const decision: IssueDecision = {
    meetingId: input.meetingId,
    decisionId: input.decisionId,
    from: before.status,
    to: input.status,
    decidedAt: now,
    decidedBy: actor.email,
  };
  const meetingIds = before.meetingIds.includes(input.meetingId) ? before.meetingIds : [...before.meetingIds, input.meetingId];
  const after: MisalignmentIssue = { ...before, status: input.status, meetingIds, updatedAt: now, version: before.version + 1 };
  return [
    {
      Update: {
        TableName: tableName(),
        Key: issueKey(workspaceId, issueId),
        UpdateExpression:
          'SET #status = :status, meetingIds = :meetingIds, decisions = list_append(if_not_exists(decisions, :none), :decision), updatedAt = :now, version = :next',
        ConditionExpression: 'version = :expected AND #status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': input.status,
          ':from': before.status,
          ':meetingIds': meetingIds,
          ':none': [],
          ':decision': [decision],
          ':now': now,
          ':next': after.version,
          ':expected': before.version,
        },
      },
    },
    auditPut({
      workspaceId,
      actor,
      action: 'misalignmentIssue.updated',
      entity: 'misalignmentIssue',
      entityId: issueId,
      before: identityOf(before),
      after: { ...identityOf(after), decidedIn: { meetingId: input.meetingId, decisionId: input.decisionId } },
      at: now,
    }),
  ];
}
