import { actionPriority, activeStatuses, recentCost, scoreIssue } from '#contract/misalignment/misalignment';
import {
  compareRankings,
  type FrozenRanking,
  type LiveRanking,
  pareto,
  paretoByCategory,
  type RankingEntry,
  rankEntries,
} from '#contract/misalignment/ranking';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { brokenReference, referenceChecks, referencesOf } from '#functions/table/references';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { type RankedIssue, rankingIssues } from './entities-issue-queries';
import {
  deleteFrozenEntries,
  freezePut,
  freezeReads,
  frozenRanking,
  getFreeze,
  listVotes,
  putFrozenEntries,
  type RankingHeads,
  rankingHeads,
} from './entities-ranking';
import { issuesSeen } from './issue-list';

export { getScoringModel, issueWithScoringModel, type ScoringModelInput, saveScoringModel } from './scoring-model';
export { castVotes } from './votes';

type Actor = Pick<Caller, 'email' | 'name'>;

/** A cycle's frozen ranking as it was at the moment it was frozen, or null when it is not frozen. */
export async function getFrozenRanking(workspaceId: string, cycleId: string): Promise<FrozenRanking | null> {
  const header = await getFreeze(workspaceId, cycleId);
  return header ? frozenRanking(header) : null;
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
  /** Heads the caller reads itself (a freeze reads them with the cycle), so they are not read twice. */
  heads?: RankingHeads | Promise<RankingHeads>;
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
  const frozen = freeze ? await frozenRanking(freeze) : null;
  const votesByIssue = new Map<string, number>();
  for (const record of votes) {
    for (const allocation of record.allocations) {
      votesByIssue.set(allocation.issueId, (votesByIssue.get(allocation.issueId) ?? 0) + allocation.votes);
    }
  }
  const inRange = (issue: RankedIssue) => !seen || seen.has(issue.id);
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
 * The ranking a cycle stands by: its frozen one when it has been frozen, else
 * the live one. The live ranking's reads go out beside the freeze header (one
 * round trip for a cycle not frozen); a frozen cycle's entries follow its
 * header, and the live figures read beside it are set aside.
 */
export async function standingRanking(input: {
  workspaceId: string;
  cycleId: string;
  caller: Actor;
  now: string;
}): Promise<{ frozen: boolean; entries: RankingEntry[] }> {
  const live = await liveRanking(input);
  return live.frozen ? { frozen: true, entries: live.frozen.entries } : { frozen: false, entries: live.entries };
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
  // The cycle, the scoring model and any freeze are read beside the ranking's own reads: one round trip.
  const reads = freezeReads(workspaceId, cycleId);
  const heads = reads.then(({ model }) => ({ model, freeze: undefined }));
  const ranking = liveRanking({ workspaceId, cycleId, from: input.from, to: input.to, caller: actor, now, heads });
  // A refusal below leaves the ranking unawaited; its failure then matters to nobody.
  ranking.catch(() => undefined);
  const { cycleExists, freeze } = await reads;
  // Only a budget cycle of the workspace has a ranking to freeze; a typo must not freeze a ranking nobody finds.
  if (!cycleExists) throw refuse.notFound('Budget cycle not found');
  if (freeze) {
    const existing = await frozenRanking(freeze);
    throw refuse.conflict(`The ranking of cycle ${cycleId} was already frozen on ${existing.frozenAt}`, { current: existing });
  }
  const live = await ranking;
  const frozen: FrozenRanking = {
    cycleId,
    freezeId: crypto.randomUUID(),
    frozenAt: now,
    frozenBy: actor.email,
    frozenByName: actor.name,
    note: input.note,
    meetingId: input.meetingId,
    scoringModel: live.scoringModel,
    entries: live.entries,
  };
  await putFrozenEntries({ ...frozen, workspaceId });
  const { entries, ...header } = frozen;
  const items: TransactItem[] = [
    freezePut({ ...frozen, workspaceId }),
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
    const lost = error instanceof TransactionConditionFailed && error.part === 'freeze';
    // The entries of a freeze that did not happen were never visible; remove them.
    if (refused || lost) await deleteFrozenEntries({ ...frozen, workspaceId });
    if (refused) throw refused;
    if (lost) throw refuse.conflict(`The ranking of cycle ${cycleId} was frozen by someone else meanwhile`);
    throw error;
  }
  return frozen;
}
