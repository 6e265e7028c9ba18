import { describe, expect, it } from 'vitest';
import {
  actionPriority,
  defaultScoringModel,
  emptyCost,
  emptyStageCounts,
  type IssueAggregates,
  type IssueHistory,
  inRecentWindow,
  type MisalignmentIssue,
  monthBefore,
  recentCost,
  recentWindow,
  scoreIssue,
  seenRange,
  statusChangeRefusal,
} from '#contract/misalignment/misalignment';
import { issuesToCsv } from '#contract/misalignment/misalignment-csv';
import { compareRankings, pareto, paretoByCategory, rankEntries, voteRefusal } from '#contract/misalignment/ranking';

const now = '2026-11-25T10:00:00.000Z';

function aggregates(input: {
  count?: number;
  cost?: number;
  day?: string;
  stages?: Partial<IssueAggregates['stageCounts']>;
}): IssueAggregates {
  const count = input.count ?? 0;
  const cost = input.cost ?? 0;
  const day = input.day ?? '2026-11-20';
  return {
    occurrenceCount: count,
    totalCost: cost,
    costByType: { ...emptyCost(), other: cost },
    recentCostByMonth: count > 0 && inRecentWindow(day, now) ? { [day.slice(0, 7)]: cost } : {},
    stageCounts: { ...emptyStageCounts(), ...(input.stages ?? (count > 0 ? { production: count } : {})) },
  };
}

describe('scoreIssue', () => {
  it('scores an issue without occurrences as zero, with every part shown', () => {
    const score = scoreIssue(aggregates({}), defaultScoringModel, now);
    expect(score.total).toBe(0);
    expect(score.explanation).toBe('0 = 0 cost + 0 recent cost + 0 frequency + 0 detection');
  });

  it('gives zero cost points to costless occurrences but still counts frequency and detection', () => {
    const score = scoreIssue(aggregates({ count: 3, cost: 0, stages: { 'customer complaint': 3 } }), defaultScoringModel, now);
    expect(score.parts.find((part) => part.name === 'cost')?.points).toBe(0);
    expect(score.parts.find((part) => part.name === 'frequency')?.points).toBeGreaterThan(0);
    expect(score.parts.find((part) => part.name === 'detection')?.points).toBe(15);
  });

  it('caps each part at its weight for huge cost and thousands of occurrences', () => {
    const score = scoreIssue(
      aggregates({ count: 5000, cost: 1e12, stages: { 'customer complaint': 5000 } }),
      defaultScoringModel,
      now,
    );
    expect(score.total).toBe(100);
    expect(score.explanation).toBe('100 = 40 cost + 20 recent cost + 25 frequency + 15 detection');
  });

  it('reaches the full part exactly at the scale and grows with more occurrences below it', () => {
    const atScale = scoreIssue(aggregates({ count: 50, cost: 100_000 }), defaultScoringModel, now);
    expect(atScale.parts.find((part) => part.name === 'cost')?.points).toBe(40);
    expect(atScale.parts.find((part) => part.name === 'frequency')?.points).toBe(25);
    const one = scoreIssue(aggregates({ count: 1, cost: 100 }), defaultScoringModel, now).total;
    const two = scoreIssue(aggregates({ count: 2, cost: 100 }), defaultScoringModel, now).total;
    expect(two).toBeGreaterThan(one);
  });

  it('always adds up: the total is the sum of the rounded parts', () => {
    for (const cost of [0.01, 3.33, 1234.56, 99_999.99]) {
      for (const count of [1, 7, 49]) {
        const score = scoreIssue(aggregates({ count, cost }), defaultScoringModel, now);
        const sum = score.parts.reduce((total, part) => total + Math.round(part.points * 10), 0) / 10;
        expect(score.total).toBe(sum);
      }
    }
  });

  it('counts cost as recent only in this calendar month and the two before it', () => {
    expect(recentWindow(now)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(recentWindow('2026-02-10T00:00:00.000Z')).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthBefore('2026-01-31', 1)).toBe('2025-12');
    const inside = aggregates({ count: 1, cost: 1000, day: '2026-09-01' });
    const outside = aggregates({ count: 1, cost: 1000, day: '2026-08-31' });
    expect(recentCost(inside.recentCostByMonth, now)).toBe(1000);
    expect(recentCost(outside.recentCostByMonth, now)).toBe(0);
    // A bucket left over from a month that has since left the window is not counted.
    expect(recentCost({ '2026-08': 5, '2026-09': 1.1, '2026-11': 2.2 }, now)).toBe(3.3);
    expect(scoreIssue(inside, defaultScoringModel, now).total).toBeGreaterThan(
      scoreIssue(outside, defaultScoringModel, now).total,
    );
  });

  it('follows the weights: a zero weight removes a part', () => {
    const model = { ...defaultScoringModel, weights: { cost: 0, recentCost: 0, frequency: 0, detection: 10 } };
    expect(scoreIssue(aggregates({ count: 4, cost: 5000, stages: { delivery: 4 } }), model, now).explanation).toBe(
      '7.5 = 0 cost + 0 recent cost + 0 frequency + 7.5 detection',
    );
  });
});

describe('actionPriority', () => {
  it('is Low with no occurrences and High for a costly, recurring issue', () => {
    expect(actionPriority(aggregates({}))).toEqual({ priority: 'Low', severity: 1, occurrence: 1, detection: 1 });
    expect(actionPriority(aggregates({ count: 4, cost: 50_000 }))).toMatchObject({
      priority: 'High',
      severity: 9,
      occurrence: 6,
    });
  });

  it('puts severity first: a cheap issue is never High however often it happens', () => {
    const cheap = actionPriority(aggregates({ count: 10_000, cost: 999.99, stages: { 'customer complaint': 10_000 } }));
    expect(cheap).toMatchObject({ severity: 3, occurrence: 10, detection: 10, priority: 'Medium' });
    const cheapEarly = actionPriority(aggregates({ count: 10_000, cost: 999.99, stages: { quoting: 10_000 } }));
    expect(cheapEarly.priority).toBe('Low');
  });

  it('moves across the severity bands at their thresholds', () => {
    const at = (cost: number) => actionPriority(aggregates({ count: 1, cost })).severity;
    expect([0, 0.01, 999.99, 1000, 9999.99, 10_000, 49_999.99, 50_000, 199_999.99, 200_000, 1e12].map(at)).toEqual([
      1, 3, 3, 5, 5, 7, 7, 9, 9, 10, 10,
    ]);
  });

  it('moves across the occurrence bands and lets late detection raise a severe single occurrence', () => {
    const occurrence = (count: number) => actionPriority(aggregates({ count, cost: 100 })).occurrence;
    expect([0, 1, 2, 3, 4, 9, 10, 29, 30].map(occurrence)).toEqual([1, 2, 4, 4, 6, 6, 8, 8, 10]);
    expect(actionPriority(aggregates({ count: 1, cost: 60_000, stages: { quoting: 1 } })).priority).toBe('Low');
    expect(actionPriority(aggregates({ count: 1, cost: 60_000, stages: { production: 1 } })).priority).toBe('Medium');
    expect(actionPriority(aggregates({ count: 2, cost: 60_000 })).priority).toBe('High');
  });
});

describe('pareto', () => {
  it('sorts by cost and ends the cumulative line at exactly 100', () => {
    const entries = pareto([
      { key: 'a', label: 'A', cost: 10 },
      { key: 'b', label: 'B', cost: 70 },
      { key: 'c', label: 'C', cost: 20 },
      { key: 'd', label: 'D', cost: 0 },
    ]);
    expect(entries.map((entry) => entry.key)).toEqual(['b', 'c', 'a', 'd']);
    expect(entries.map((entry) => entry.cumulativeShare)).toEqual([70, 90, 100, 100]);
    expect(entries.map((entry) => entry.cumulativeCost)).toEqual([70, 90, 100, 100]);
    expect(entries.map((entry) => entry.share)).toEqual([70, 20, 10, 0]);
  });

  it('keeps cents exact and handles thirds, all-zero and empty inputs', () => {
    const thirds = pareto([
      { key: 'x', label: 'X', cost: 0.1 },
      { key: 'y', label: 'Y', cost: 0.1 },
      { key: 'z', label: 'Z', cost: 0.1 },
    ]);
    expect(thirds.map((entry) => entry.cumulativeShare)).toEqual([33.3, 66.7, 100]);
    expect(thirds.at(-1)?.cumulativeCost).toBe(0.3);
    expect(pareto([{ key: 'z', label: 'Z', cost: 0 }])[0]).toMatchObject({ share: 0, cumulativeShare: 0 });
    expect(pareto([])).toEqual([]);
  });

  it('sums cost per category', () => {
    const byCategory = paretoByCategory([
      { category: 'scope', totalCost: 100.1 },
      { category: 'lead time', totalCost: 50 },
      { category: 'scope', totalCost: 0.2 },
    ]);
    expect(byCategory.map((entry) => [entry.key, entry.cost])).toEqual([
      ['scope', 100.3],
      ['lead time', 50],
    ]);
  });
});

describe('voteRefusal', () => {
  const a = '00000000-0000-4000-8000-00000000000a';
  const b = '00000000-0000-4000-8000-00000000000b';
  it('accepts exactly the limit, and nothing at all', () => {
    expect(voteRefusal([{ issueId: a, votes: 10 }], 10)).toBeNull();
    expect(
      voteRefusal(
        [
          { issueId: a, votes: 4 },
          { issueId: b, votes: 6 },
        ],
        10,
      ),
    ).toBeNull();
    expect(voteRefusal([], 10)).toBeNull();
  });

  it('refuses one vote over the limit, duplicates, negative and fractional votes', () => {
    expect(
      voteRefusal(
        [
          { issueId: a, votes: 5 },
          { issueId: b, votes: 6 },
        ],
        10,
      ),
    ).toMatch(/at most 10 votes in a cycle; this gives 11/);
    expect(
      voteRefusal(
        [
          { issueId: a, votes: 1 },
          { issueId: a, votes: 1 },
        ],
        10,
      ),
    ).toMatch(/appears twice/);
    expect(voteRefusal([{ issueId: a, votes: -1 }], 10)).toMatch(/whole numbers/);
    expect(voteRefusal([{ issueId: a, votes: 0.5 }], 10)).toMatch(/whole numbers/);
  });
});

describe('issue rules', () => {
  it('allows closing and reopening, refuses skipping back from closed to planned', () => {
    expect(statusChangeRefusal('open', 'resolved')).toBeNull();
    expect(statusChangeRefusal('resolved', 'open')).toBeNull();
    expect(statusChangeRefusal("won't fix", 'open')).toBeNull();
    expect(statusChangeRefusal('resolved', 'action planned')).toMatch(/cannot become action planned/);
  });

  it('derives first/last seen from the day counts, ignoring days corrected down to zero', () => {
    expect(seenRange({ '2026-03-01': 0, '2026-04-02': 1, '2026-01-15': 2 })).toEqual({
      firstSeen: '2026-01-15',
      lastSeen: '2026-04-02',
    });
    expect(seenRange({})).toEqual({ firstSeen: null, lastSeen: null });
  });

  it('ranks by score, then votes, then cost, numbering from 1', () => {
    const score = (total: number) => ({ total, parts: [], explanation: '' });
    const base = {
      category: 'scope' as const,
      status: 'open' as const,
      actionPriority: { priority: 'Low' as const, severity: 1, occurrence: 1, detection: 1 },
      occurrenceCount: 1,
      recentCost: 0,
      currency: 'EUR',
    };
    const ranked = rankEntries([
      { ...base, issueId: 'a', title: 'A', score: score(10), votes: 0, totalCost: 5 },
      { ...base, issueId: 'b', title: 'B', score: score(20), votes: 0, totalCost: 5 },
      { ...base, issueId: 'c', title: 'C', score: score(10), votes: 3, totalCost: 1 },
    ]);
    expect(ranked.map((entry) => [entry.issueId, entry.rank])).toEqual([
      ['b', 1],
      ['c', 2],
      ['a', 3],
    ]);
    const found = ranked.find((entry) => entry.issueId === 'a');
    if (!found) throw new Error('a is ranked');
    const { rank: _rank, ...stillActive } = found;
    const comparison = compareRankings({ cycleId: 'FY1', frozenAt: now, entries: ranked }, rankEntries([stillActive]), [
      { id: 'b', title: 'B', status: 'resolved', totalCost: 8 },
    ]);
    expect(comparison.moves).toEqual([{ issueId: 'a', title: 'A', before: 3, now: 1, movedBy: 2 }]);
    expect(comparison.resolved).toEqual([{ issueId: 'b', title: 'B', before: 1, status: 'resolved' }]);
    expect(comparison).toMatchObject({ costBefore: 11, costNow: 13 });
  });

  it('exports CSV with quoting and formula protection', () => {
    const issue = {
      id: 'i1',
      title: '=cmd, "quoted"',
      category: 'scope',
      status: 'open',
      owner: null,
      functions: ['sales', 'operations'],
      occurrenceCount: 2,
      totalCost: 10.5,
      currency: 'EUR',
      costByType: { ...emptyCost(), other: 10.5 },
      firstSeen: '2026-01-01',
      lastSeen: '2026-02-01',
      earliestDetection: 'quoting',
    } as unknown as MisalignmentIssue & Pick<IssueHistory, 'firstSeen' | 'lastSeen'>;
    const [header, row] = issuesToCsv([issue]).split('\r\n');
    expect(header?.split(',').slice(0, 4)).toEqual(['id', 'title', 'category', 'status']);
    expect(row).toBe(
      `i1,"'=cmd, ""quoted""",scope,open,,sales; operations,2,10.5,EUR,0,0,0,0,10.5,2026-01-01,2026-02-01,quoting`,
    );
  });
});
