import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { activeStatuses, issueCategories, issueStatuses } from '#contract/misalignment/misalignment';
import type { FrozenRanking, RankingEntry, VoteAllocation } from '#contract/misalignment/ranking';
import { getByKeys } from '#functions/table/batch-get';
import { writeInBatches } from '#functions/table/batch-write';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { queryAll } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { cycleKey } from '#functions/thresholds/entities-cycles';
import { issueKey } from './entities-issues';
import { modelOf, scoringModel, scoringModelKey } from './entities-scoring';

/** Votes and frozen rankings get a partition per cycle, `WS#<ws>#CYCLE#<cycleId>`. */
export const cyclePk = (workspaceId: string, cycleId: string) => `${workspacePk(workspaceId)}#CYCLE#${cycleId}`;
export const votesKey = (workspaceId: string, cycleId: string, email: string) =>
  itemKey(cyclePk(workspaceId, cycleId), `VOTES#${email}`);
export const freezeKey = (workspaceId: string, cycleId: string) => itemKey(cyclePk(workspaceId, cycleId), 'FREEZE');
export const frozenEntryPrefix = (freezeId: string) => `FROZEN#${freezeId}#`;
export const frozenEntryKey = (workspaceId: string, cycleId: string, freezeId: string, rank: number) =>
  itemKey(cyclePk(workspaceId, cycleId), `${frozenEntryPrefix(freezeId)}${String(rank).padStart(6, '0')}`);

const nullableText = () => z._default(z.nullable(z.string()), null);

const allocation = lazySchema(() => z.object({ issueId: z.string(), votes: z.number() }));

export const votesEntity = defineEntity({
  type: 'CycleVotes',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      cycleId: z.string(),
      email: z.string(),
      name: z.string(),
      allocations: z.array(allocation),
      updatedAt: z.string(),
      version: z.number(),
    }),
  ),
  keys: (votes) => votesKey(votes.workspaceId, votes.cycleId, votes.email),
});

export type VotesRecord = z.output<typeof votesEntity.schema>;

/** Every manager's votes in a cycle: bounded by the number of managers, not issues or occurrences. */
export function listVotes(workspaceId: string, cycleId: string): Promise<VotesRecord[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': cyclePk(workspaceId, cycleId), ':prefix': 'VOTES#' },
      ConsistentRead: true,
    },
    (item) => votesEntity.parse({ workspaceId, cycleId, ...item }),
  );
}

/** The votes as the caller last saw them, from the current item a failed condition returned. */
export const votesOf = (item: Record<string, unknown>): { allocations: VoteAllocation[]; version: number } =>
  z.object({ allocations: z.array(allocation), version: z.number() }).parse(item);

/**
 * The writes of a manager's votes: the cycle exists (`cycle`: it owns the
 * partition the votes are kept in, and a backup finds them through it), its
 * ranking is not frozen (`freeze`), the votes are as read (`votes`), and each
 * issue voted for is open to votes (`vote:<issueId>`).
 */
export function votesWrites(votes: VotesRecord, expectedVersion: number): TransactItem[] {
  const { workspaceId, cycleId } = votes;
  const { workspaceId: _, ...item } = votesEntity.item(votes);
  return [
    named('cycle', {
      ConditionCheck: {
        TableName: tableName(),
        Key: cycleKey(workspaceId, cycleId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    }),
    named('freeze', {
      ConditionCheck: {
        TableName: tableName(),
        Key: freezeKey(workspaceId, cycleId),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    named('votes', {
      Put: {
        TableName: tableName(),
        Item: item,
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    }),
    ...votes.allocations.map(({ issueId }) =>
      named(`vote:${issueId}`, {
        ConditionCheck: {
          TableName: tableName(),
          Key: issueKey(workspaceId, issueId),
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:s0, :s1, :s2)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s0': activeStatuses[0], ':s1': activeStatuses[1], ':s2': activeStatuses[2] },
        },
      }),
    ),
  ];
}

const status = lazySchema(() => z.enum(issueStatuses));
const scorePart = lazySchema(() =>
  z.object({ name: z.enum(['cost', 'recent cost', 'frequency', 'detection']), points: z.number() }),
);
const rankingEntry = lazySchema(() =>
  z.object({
    rank: z.number(),
    issueId: z.string(),
    title: z.string(),
    category: z.enum(issueCategories),
    status,
    score: z.object({ total: z.number(), parts: z.array(scorePart), explanation: z.string() }),
    actionPriority: z.object({
      priority: z.enum(['High', 'Medium', 'Low']),
      severity: z.number(),
      occurrence: z.number(),
      detection: z.number(),
    }),
    votes: z.number(),
    occurrenceCount: z.number(),
    totalCost: z.number(),
    recentCost: z.number(),
    currency: z.string(),
  }),
);

/** One line of a frozen ranking, in its own item (a ranking can outgrow one item). */
export const frozenEntryEntity = defineEntity({
  type: 'FrozenRankingEntry',
  schema: lazySchema(() => z.object({ workspaceId: z.string(), cycleId: z.string(), freezeId: z.string(), entry: rankingEntry })),
  keys: (record) => frozenEntryKey(record.workspaceId, record.cycleId, record.freezeId, record.entry.rank),
});

/** The header of a cycle's frozen ranking: it names the freeze whose entries count. */
export const freezeEntity = defineEntity({
  type: 'RankingFreeze',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      cycleId: z.string(),
      freezeId: z.string(),
      frozenAt: z.string(),
      frozenBy: z.string(),
      frozenByName: z.string(),
      note: z._default(z.string(), ''),
      meetingId: nullableText(),
      scoringModel,
      entryCount: z.number(),
    }),
  ),
  keys: (header) => freezeKey(header.workspaceId, header.cycleId),
});

export type FreezeHeader = z.output<typeof freezeEntity.schema>;

/** What every ranking starts from: the scoring model and the cycle's freeze header, in one BatchGetItem. */
export async function rankingHeads(workspaceId: string, cycleId: string) {
  const keys = [scoringModelKey(workspaceId), freezeKey(workspaceId, cycleId)];
  const found = await getByKeys(keys);
  const [model, freeze] = keys.map((key) => found.get(key));
  return { model: modelOf(model), freeze: freezeOf(workspaceId, freeze) };
}

export type RankingHeads = Awaited<ReturnType<typeof rankingHeads>>;

const freezeOf = (workspaceId: string, item: Record<string, unknown> | undefined) =>
  item ? freezeEntity.parse({ workspaceId, ...item }) : undefined;

/** What a freeze reads first, in one BatchGetItem: the cycle (exists?), the model and any freeze header. */
export async function freezeReads(workspaceId: string, cycleId: string) {
  const keys = [cycleKey(workspaceId, cycleId), scoringModelKey(workspaceId), freezeKey(workspaceId, cycleId)];
  const found = await getByKeys(keys);
  const [cycle, model, freeze] = keys.map((key) => found.get(key));
  return { cycleExists: cycle !== undefined, model: modelOf(model), freeze: freezeOf(workspaceId, freeze) };
}

export async function getFreeze(workspaceId: string, cycleId: string): Promise<FreezeHeader | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: freezeKey(workspaceId, cycleId), ConsistentRead: true }),
  );
  return freezeOf(workspaceId, Item);
}

/** The frozen ranking a freeze header names: its entries, read in rank order. */
export async function frozenRanking(header: FreezeHeader): Promise<FrozenRanking> {
  const { workspaceId, cycleId, freezeId } = header;
  const entries: RankingEntry[] = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': cyclePk(workspaceId, cycleId), ':prefix': frozenEntryPrefix(freezeId) },
    },
    (item) => frozenEntryEntity.parse({ workspaceId, cycleId, freezeId, ...item }).entry,
  );
  return {
    cycleId,
    freezeId,
    frozenAt: header.frozenAt,
    frozenBy: header.frozenBy,
    frozenByName: header.frozenByName,
    note: header.note,
    meetingId: header.meetingId,
    scoringModel: header.scoringModel,
    entries,
  };
}

/** The items of a freeze's entries; they count only once the header naming the freeze is put. */
function entryItems(frozen: FrozenRanking & { workspaceId: string }) {
  return frozen.entries.map((entry) => {
    const { workspaceId, cycleId, freezeId } = frozen;
    const {
      workspaceId: _w,
      cycleId: _c,
      freezeId: _f,
      ...item
    } = frozenEntryEntity.item({ workspaceId, cycleId, freezeId, entry });
    return item;
  });
}

export const putFrozenEntries = (frozen: FrozenRanking & { workspaceId: string }) =>
  writeInBatches(entryItems(frozen).map((Item) => ({ PutRequest: { Item } })));

/** Removes the entries of a freeze that did not happen; they were never visible. */
export const deleteFrozenEntries = (frozen: FrozenRanking & { workspaceId: string }) =>
  writeInBatches(
    frozen.entries.map((entry) => ({
      DeleteRequest: { Key: { ...frozenEntryKey(frozen.workspaceId, frozen.cycleId, frozen.freezeId, entry.rank) } },
    })),
  );

/** The header that makes a freeze visible, put once per cycle; named `freeze`. */
export function freezePut(frozen: FrozenRanking & { workspaceId: string }): TransactItem {
  const { entries, ...header } = frozen;
  const { workspaceId: _, ...item } = freezeEntity.item({ ...header, entryCount: entries.length });
  return named('freeze', {
    Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
}
