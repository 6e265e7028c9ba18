import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  actionPriority,
  activeStatuses,
  defaultScoringModel,
  type MisalignmentIssue,
  recentCost,
  type ScoringModel,
  scoreIssue,
} from '#contract/misalignment/misalignment';
import {
  compareRankings,
  type FrozenRanking,
  type LiveRanking,
  pareto,
  paretoByCategory,
  type RankingEntry,
  rankEntries,
  type VoteAllocation,
  voteRefusal,
} from '#contract/misalignment/ranking';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/audit/audit';
import { Conflict, NotFound, ValidationFailed } from '#functions/kernel/errors';
import { getByKeys } from '#functions/table/batch-get';
import { writeInBatches } from '#functions/table/batch-write';
import { dynamo, tableName } from '#functions/table/client';
import { transactWriteUnderContention } from '#functions/table/contention';
import { queryAll } from '#functions/table/pages';
import { brokenReference, referenceChecks, referencesOf } from '#functions/table/references';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { cycleKey } from '#functions/thresholds/cycle-records';
import { issuesSeen, rankingIssues, toIssue } from './misalignment';
import { cyclePk, freezeKey, frozenEntryKey, frozenEntryPrefix, issueKey, scoringModelKey, votesKey } from './misalignment-keys';

type Actor = Pick<Caller, 'email' | 'name'>;

function toModel(item: Record<string, unknown>): ScoringModel {
  return {
    weights: { ...defaultScoringModel.weights, ...(item.weights as Partial<ScoringModel['weights']>) },
    costScale: item.costScale as number,
    recentCostScale: item.recentCostScale as number,
    frequencyScale: item.frequencyScale as number,
    votesPerManager: item.votesPerManager as number,
    currency: item.currency as string,
    updatedAt: (item.updatedAt as string | null) ?? null,
    updatedBy: (item.updatedBy as string | null) ?? null,
    version: item.version as number,
  };
}

/** A stored scoring model, or the default (version 0) when the admin has not saved one yet. */
const modelOf = (item: Record<string, unknown> | undefined) => (item ? toModel(item) : defaultScoringModel);

/** The workspace's scoring model; the default (version 0) until the admin first saves one. */
export async function getScoringModel(workspaceId: string): Promise<ScoringModel> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: scoringModelKey(workspaceId), ConsistentRead: true }),
  );
  return modelOf(Item);
}

/** An issue and the scoring model that scores it, read together in one BatchGetItem. */
export async function issueWithScoringModel(workspaceId: string, issueId: string) {
  const keys = [issueKey(workspaceId, issueId), scoringModelKey(workspaceId)];
  const found = await getByKeys(keys);
  const [issue, model] = keys.map((key) => found.get(key));
  if (!issue) throw new NotFound('Misalignment issue not found');
  return { issue: toIssue(issue), model: modelOf(model) };
}

export type ScoringModelInput = Omit<ScoringModel, 'updatedAt' | 'updatedBy' | 'version'>;

/** Replaces the scoring model, conditional on the version it was based on (0 for the default). */
export async function saveScoringModel(
  workspaceId: string,
  input: ScoringModelInput,
  expectedVersion: number,
  actor: Actor,
  now: string,
): Promise<ScoringModel> {
  const before = await getScoringModel(workspaceId);
  const after: ScoringModel = { ...input, updatedAt: now, updatedBy: actor.email, version: expectedVersion + 1 };
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: { ...scoringModelKey(workspaceId), type: 'ScoringModel', ...after },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        },
      },
      auditPut({
        workspaceId,
        actor,
        action: 'scoringModel.updated',
        entity: 'scoringModel',
        entityId: 'scoringModel',
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The scoring model changed since version ${expectedVersion}`, {
        current: error.current ? toModel(error.current) : before,
      });
    }
    throw error;
  }
  return after;
}

interface VotesRecord {
  email: string;
  name: string;
  allocations: VoteAllocation[];
  updatedAt: string;
  version: number;
}

/** Every manager's votes in a cycle: bounded by the number of managers, not issues or occurrences. */
function listVotes(workspaceId: string, cycleId: string): Promise<VotesRecord[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': cyclePk(workspaceId, cycleId), ':prefix': 'VOTES#' },
      ConsistentRead: true,
    },
    (item) => ({
      email: item.email as string,
      name: item.name as string,
      allocations: item.allocations as VoteAllocation[],
      updatedAt: item.updatedAt as string,
      version: item.version as number,
    }),
  );
}

async function getFreeze(workspaceId: string, cycleId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: freezeKey(workspaceId, cycleId), ConsistentRead: true }),
  );
  return Item;
}

/** What every ranking starts from: the scoring model and the cycle's freeze header, in one BatchGetItem. */
async function rankingHeads(workspaceId: string, cycleId: string) {
  const keys = [scoringModelKey(workspaceId), freezeKey(workspaceId, cycleId)];
  const found = await getByKeys(keys);
  const [model, freeze] = keys.map((key) => found.get(key));
  return { model: modelOf(model), freeze };
}

/** A cycle's frozen ranking as it was at the moment it was frozen, or null when it is not frozen. */
export async function getFrozenRanking(workspaceId: string, cycleId: string): Promise<FrozenRanking | null> {
  const header = await getFreeze(workspaceId, cycleId);
  return header ? frozenRanking(workspaceId, cycleId, header) : null;
}

/** The frozen ranking a freeze header names: its entries, read in rank order. */
async function frozenRanking(workspaceId: string, cycleId: string, header: Record<string, unknown>): Promise<FrozenRanking> {
  const freezeId = header.freezeId as string;
  const entries = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': cyclePk(workspaceId, cycleId), ':prefix': frozenEntryPrefix(freezeId) },
    },
    (item) => item.entry as RankingEntry,
  );
  return {
    cycleId,
    freezeId,
    frozenAt: header.frozenAt as string,
    frozenBy: header.frozenBy as string,
    frozenByName: header.frozenByName as string,
    note: (header.note as string) ?? '',
    meetingId: (header.meetingId as string | null) ?? null,
    scoringModel: toModel(header.scoringModel as Record<string, unknown>),
    entries,
  };
}

/**
 * The live ranking of a cycle: one paginated Query over the issues (never
 * their occurrences or days; each issue item has the same few attributes
 * however often it occurred), the cycle's votes, the scoring model, all
 * scored and ordered by the pure rules. Only active issues are ranked; with
 * a date range, only issues that occurred within it, found by one Query over
 * the issue days in that range.
 */
export async function liveRanking(input: {
  workspaceId: string;
  cycleId: string;
  from?: string;
  to?: string;
  compareTo?: string;
  caller: Actor;
  now: string;
  /** Heads the caller has read already (a freeze reads them with the cycle), so they are not read twice. */
  heads?: Awaited<ReturnType<typeof rankingHeads>>;
}): Promise<LiveRanking> {
  const { workspaceId, cycleId, now } = input;
  const ranged = Boolean(input.from || input.to);
  const [issues, seen, { model, freeze }, votes, previous] = await Promise.all([
    rankingIssues(workspaceId, now),
    ranged ? issuesSeen(workspaceId, { from: input.from, to: input.to }) : Promise.resolve(null),
    input.heads ?? rankingHeads(workspaceId, cycleId),
    listVotes(workspaceId, cycleId),
    input.compareTo ? getFrozenRanking(workspaceId, input.compareTo) : Promise.resolve(null),
  ]);
  const frozen = freeze ? await frozenRanking(workspaceId, cycleId, freeze) : null;
  const votesByIssue = new Map<string, number>();
  for (const record of votes) {
    for (const allocation of record.allocations) {
      votesByIssue.set(allocation.issueId, (votesByIssue.get(allocation.issueId) ?? 0) + allocation.votes);
    }
  }
  const inRange = (issue: MisalignmentIssue) => !seen || seen.has(issue.id);
  const active = issues.filter((issue) => activeStatuses.includes(issue.status) && inRange(issue));
  const entries = rankEntries(
    active.map((issue) => ({
      issueId: issue.id,
      title: issue.title,
      category: issue.category,
      status: issue.status,
      score: scoreIssue(issue, model, now),
      actionPriority: actionPriority(issue),
      votes: votesByIssue.get(issue.id) ?? 0,
      occurrenceCount: issue.occurrenceCount,
      totalCost: issue.totalCost,
      recentCost: recentCost(issue.recentCostByMonth, now),
      currency: issue.currency,
    })),
  );
  const mine = votes.find((record) => record.email === input.caller.email);
  const given = (mine?.allocations ?? []).reduce((sum, allocation) => sum + allocation.votes, 0);
  const closed = issues.filter((issue) => !activeStatuses.includes(issue.status));
  return {
    cycleId,
    computedAt: now,
    scoringModel: model,
    entries,
    yourVotes: {
      allocations: mine?.allocations ?? [],
      remaining: Math.max(0, model.votesPerManager - given),
      version: mine?.version ?? 0,
    },
    pareto: {
      byIssue: pareto(active.map((issue) => ({ key: issue.id, label: issue.title, cost: issue.totalCost }))),
      byCategory: paretoByCategory(active),
      currency: model.currency,
    },
    frozen,
    comparison: previous ? compareRankings(previous, entries, closed) : null,
  };
}

/**
 * The ranking a cycle stands by: its frozen one when it has been frozen (read
 * from the freeze alone, without the issues), else the live one.
 */
export async function standingRanking(input: {
  workspaceId: string;
  cycleId: string;
  caller: Actor;
  now: string;
}): Promise<{ frozen: boolean; entries: RankingEntry[] }> {
  const heads = await rankingHeads(input.workspaceId, input.cycleId);
  if (heads.freeze) {
    return { frozen: true, entries: (await frozenRanking(input.workspaceId, input.cycleId, heads.freeze)).entries };
  }
  return { frozen: false, entries: (await liveRanking({ ...input, heads })).entries };
}

/**
 * Replaces the caller's votes in a cycle. Refused once the cycle's ranking is
 * frozen, above the workspace's vote limit, or for issues that do not exist;
 * all checked in the one transaction that writes the votes.
 */
export async function castVotes(input: {
  workspaceId: string;
  cycleId: string;
  allocations: VoteAllocation[];
  expectedVersion: number;
  actor: Actor;
  now: string;
}): Promise<{ allocations: VoteAllocation[]; version: number }> {
  const { workspaceId, cycleId, actor, now } = input;
  const allocations = input.allocations.filter((allocation) => allocation.votes > 0);
  const model = await getScoringModel(workspaceId);
  const refusal = voteRefusal(allocations, model.votesPerManager);
  if (refusal) throw new ValidationFailed([{ field: 'body.allocations', message: refusal }]);
  const version = input.expectedVersion + 1;
  try {
    await transactWriteUnderContention([
      // Votes belong to a budget cycle of the workspace: the cycle owns the
      // partition they are kept in, and a backup finds them through it.
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: cycleKey(workspaceId, cycleId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: freezeKey(workspaceId, cycleId),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...votesKey(workspaceId, cycleId, actor.email),
            type: 'CycleVotes',
            cycleId,
            email: actor.email,
            name: actor.name,
            allocations,
            updatedAt: now,
            version,
          },
          ...(input.expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': input.expectedVersion } }),
        },
      },
      ...allocations.map((allocation) => ({
        ConditionCheck: {
          TableName: tableName(),
          Key: issueKey(workspaceId, allocation.issueId),
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:s0, :s1, :s2)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s0': activeStatuses[0], ':s1': activeStatuses[1], ':s2': activeStatuses[2] },
        },
      })),
      auditPut({
        workspaceId,
        actor,
        action: 'votes.cast',
        entity: 'cycleVotes',
        entityId: `${cycleId}/${actor.email}`,
        after: { cycleId, allocations },
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      if (error.index === 0) throw new NotFound(`Budget cycle ${cycleId} not found`);
      if (error.index === 1) throw new Conflict(`The ranking of cycle ${cycleId} is frozen; votes can no longer change`);
      if (error.index === 2) {
        throw new Conflict('Your votes changed since you loaded them', {
          current: error.current ? { allocations: error.current.allocations, version: error.current.version } : undefined,
        });
      }
      const allocation = allocations[error.index - 3];
      throw new ValidationFailed([
        { field: 'body.allocations', message: `issue ${allocation?.issueId} does not exist or is no longer open to votes` },
      ]);
    }
    throw error;
  }
  return { allocations, version };
}

/**
 * Freezes a cycle's ranking as it stands: the ordered list with scores, parts
 * and votes, who froze it and when. Entries are written first under a new
 * freeze id and only become visible when the header naming that id is put,
 * conditional on no header existing, so a cycle is frozen once and a frozen
 * ranking never changes. (A ranking can hold more entries than one
 * transaction can, hence the two steps.)
 */
export async function freezeRanking(input: {
  workspaceId: string;
  cycleId: string;
  from?: string;
  to?: string;
  note: string;
  meetingId: string | null;
  actor: Actor;
  now: string;
}): Promise<FrozenRanking> {
  const { workspaceId, cycleId, actor, now } = input;
  const keys = [cycleKey(workspaceId, cycleId), scoringModelKey(workspaceId), freezeKey(workspaceId, cycleId)];
  const found = await getByKeys(keys);
  const [cycle, model, freeze] = keys.map((key) => found.get(key));
  // Only a budget cycle of the workspace has a ranking to freeze; a typo must not freeze a ranking nobody finds.
  if (!cycle) throw new NotFound('Budget cycle not found');
  if (freeze) {
    const existing = await frozenRanking(workspaceId, cycleId, freeze);
    throw new Conflict(`The ranking of cycle ${cycleId} was already frozen on ${existing.frozenAt}`, { current: existing });
  }
  const heads = { model: modelOf(model), freeze: undefined };
  const live = await liveRanking({ workspaceId, cycleId, from: input.from, to: input.to, caller: actor, now, heads });
  const freezeId = crypto.randomUUID();
  const puts = live.entries.map((entry) => ({
    PutRequest: { Item: { ...frozenEntryKey(workspaceId, cycleId, freezeId, entry.rank), type: 'FrozenRankingEntry', entry } },
  }));
  await writeInBatches(puts);
  const frozen: FrozenRanking = {
    cycleId,
    freezeId,
    frozenAt: now,
    frozenBy: actor.email,
    frozenByName: actor.name,
    note: input.note,
    meetingId: input.meetingId,
    scoringModel: live.scoringModel,
    entries: live.entries,
  };
  const { entries, ...header } = frozen;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...freezeKey(workspaceId, cycleId), type: 'RankingFreeze', ...header, entryCount: entries.length },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut({
      workspaceId,
      actor,
      action: 'ranking.frozen',
      entity: 'ranking',
      entityId: cycleId,
      after: { ...header, order: entries.map((entry) => entry.issueId) },
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, referencesOf('body.meetingId', 'meeting', [input.meetingId]), items)));
  try {
    await transactWrite(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    const lost = error instanceof TransactionConditionFailed && error.index === 0;
    if (refused || lost) {
      // The entries of a freeze that did not happen were never visible; remove them.
      await writeInBatches(
        puts.map((put) => ({ DeleteRequest: { Key: { pk: put.PutRequest.Item.pk, sk: put.PutRequest.Item.sk } } })),
      );
    }
    if (refused) throw refused;
    if (lost) throw new Conflict(`The ranking of cycle ${cycleId} was frozen by someone else meanwhile`);
    throw error;
  }
  return frozen;
}
