import { compareText } from '#contract/text-order';
import {
  type ActionPriorityResult,
  fromMinor,
  type IssueCategory,
  type IssueStatus,
  type MisalignmentIssue,
  type Score,
  type ScoringModel,
  toMinor,
} from './misalignment';

/**
 * The ranking of a budget cycle's issues: entries in score order, the Pareto
 * view of their cost, dot votes, and a frozen ranking compared with the live one.
 */
export interface ParetoEntry {
  key: string;
  label: string;
  cost: number;
  /** Share of the total, 0–100, rounded to one decimal. */
  share: number;
  /** Running share up to and including this entry; the last one is 100. */
  cumulativeShare: number;
  cumulativeCost: number;
}

/** Sorts by cost (largest first, then label) and adds the cumulative line. Zero-cost entries stay, at the end. */
export function pareto(entries: Array<{ key: string; label: string; cost: number }>): ParetoEntry[] {
  const sorted = [...entries].sort((a, b) => b.cost - a.cost || compareText(a.label, b.label) || compareText(a.key, b.key));
  const totalMinor = sorted.reduce((sum, entry) => sum + toMinor(entry.cost), 0);
  let runningMinor = 0;
  return sorted.map((entry) => {
    runningMinor += toMinor(entry.cost);
    const share = totalMinor === 0 ? 0 : (toMinor(entry.cost) / totalMinor) * 100;
    const cumulative = totalMinor === 0 ? 0 : (runningMinor / totalMinor) * 100;
    return {
      ...entry,
      share: Math.round(share * 10) / 10,
      cumulativeShare: runningMinor === totalMinor && totalMinor > 0 ? 100 : Math.round(cumulative * 10) / 10,
      cumulativeCost: fromMinor(runningMinor),
    };
  });
}

/** Cost per category, summed from the issues' totals. */
export function paretoByCategory(issues: Array<Pick<MisalignmentIssue, 'category' | 'totalCost'>>): ParetoEntry[] {
  const byCategory = new Map<IssueCategory, number>();
  for (const issue of issues) byCategory.set(issue.category, (byCategory.get(issue.category) ?? 0) + toMinor(issue.totalCost));
  return pareto([...byCategory].map(([category, minor]) => ({ key: category, label: category, cost: fromMinor(minor) })));
}

/** Why a manager's vote allocation is refused, or null when it fits the limit. */
export function voteRefusal(allocations: Array<{ issueId: string; votes: number }>, limit: number): string | null {
  const seen = new Set<string>();
  let total = 0;
  for (const allocation of allocations) {
    if (!Number.isInteger(allocation.votes) || allocation.votes < 0) return 'Votes must be whole numbers of zero or more';
    if (seen.has(allocation.issueId)) return `Issue ${allocation.issueId} appears twice; give it all its votes at once`;
    seen.add(allocation.issueId);
    total += allocation.votes;
  }
  if (total > limit) return `You may distribute at most ${limit} votes in a cycle; this gives ${total}`;
  return null;
}

/** One line of a ranking, live or frozen. */
export interface RankingEntry {
  rank: number;
  issueId: string;
  title: string;
  category: IssueCategory;
  status: IssueStatus;
  score: Score;
  actionPriority: ActionPriorityResult;
  votes: number;
  occurrenceCount: number;
  totalCost: number;
  recentCost: number;
  currency: string;
}

/** Highest score first; ties go to more votes, then higher cost, then title, so the order is stable. */
export function rankEntries(entries: Array<Omit<RankingEntry, 'rank'>>): RankingEntry[] {
  return [...entries]
    .sort(
      (a, b) =>
        b.score.total - a.score.total ||
        b.votes - a.votes ||
        b.totalCost - a.totalCost ||
        compareText(a.title, b.title) ||
        compareText(a.issueId, b.issueId),
    )
    .map((entry, index) => ({ ...entry, rank: index + 1 }));
}

/** How a live ranking compares with a frozen one: moves, issues resolved since, cost added since. */
export interface RankingComparison {
  cycleId: string;
  frozenAt: string;
  moves: Array<{ issueId: string; title: string; before: number | null; now: number; movedBy: number | null }>;
  resolved: Array<{ issueId: string; title: string; before: number; status: IssueStatus }>;
  costBefore: number;
  costNow: number;
}

export function compareRankings(
  frozen: { cycleId: string; frozenAt: string; entries: RankingEntry[] },
  live: RankingEntry[],
  closed: Array<Pick<MisalignmentIssue, 'id' | 'title' | 'status' | 'totalCost'>>,
): RankingComparison {
  const before = new Map(frozen.entries.map((entry) => [entry.issueId, entry]));
  const moves = live.map((entry) => {
    const previous = before.get(entry.issueId);
    return {
      issueId: entry.issueId,
      title: entry.title,
      before: previous?.rank ?? null,
      now: entry.rank,
      movedBy: previous ? previous.rank - entry.rank : null,
    };
  });
  const resolved = closed
    .filter((issue) => before.has(issue.id))
    .map((issue) => ({ issueId: issue.id, title: issue.title, before: before.get(issue.id)?.rank ?? 0, status: issue.status }))
    .sort((a, b) => a.before - b.before);
  const frozenIds = new Set(before.keys());
  const nowMinor =
    live.filter((entry) => frozenIds.has(entry.issueId)).reduce((sum, entry) => sum + toMinor(entry.totalCost), 0) +
    closed.filter((issue) => frozenIds.has(issue.id)).reduce((sum, issue) => sum + toMinor(issue.totalCost), 0);
  return {
    cycleId: frozen.cycleId,
    frozenAt: frozen.frozenAt,
    moves,
    resolved,
    costBefore: fromMinor(frozen.entries.reduce((sum, entry) => sum + toMinor(entry.totalCost), 0)),
    costNow: fromMinor(nowMinor),
  };
}

export interface VoteAllocation {
  issueId: string;
  votes: number;
}

export interface FrozenRanking {
  cycleId: string;
  freezeId: string;
  frozenAt: string;
  frozenBy: string;
  frozenByName: string;
  note: string;
  meetingId: string | null;
  scoringModel: ScoringModel;
  entries: RankingEntry[];
}

export interface LiveRanking {
  cycleId: string;
  computedAt: string;
  scoringModel: ScoringModel;
  entries: RankingEntry[];
  /** The caller's own votes in this cycle and how many they may still give. */
  yourVotes: { allocations: VoteAllocation[]; remaining: number; version: number };
  pareto: { byIssue: ParetoEntry[]; byCategory: ParetoEntry[]; currency: string };
  frozen: FrozenRanking | null;
  comparison: RankingComparison | null;
}
