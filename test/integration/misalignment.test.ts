import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { type CallInput, present } from '#test/support/client';
import { partitionItems, snapshot } from '#test/support/snapshot';

let api: TestApi;
let admin: Person;
let manager: Person;
let rep: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Issue Log Pumps' } })).body.id;
  const managerEmail = uniqueEmail('olga');
  const repEmail = uniqueEmail('rita');
  await admin.call('inviteMember', {
    params: { workspaceId },
    body: { email: managerEmail, function: 'operations', role: 'manager' },
  });
  await admin.call('inviteMember', { params: { workspaceId }, body: { email: repEmail, function: 'sales', role: 'rep' } });
  manager = await signInAs(api, managerEmail, 'Olga');
  rep = await signInAs(api, repEmail, 'Rita');
});
afterAll(async () => {
  await api.close();
});
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A budget cycle of the workspace: rankings are frozen per real cycle. */
async function newCycle() {
  const response = await admin.call('createCycle', {
    params: { workspaceId },
    body: {
      name: `FY${Math.floor(Math.random() * 1e6)}`,
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    },
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function newIssue(by: Person, fields: Record<string, unknown> = {}) {
  const response = await by.call('createMisalignmentIssue', {
    params: { workspaceId },
    body: { title: 'Lead time promised beyond capacity', category: 'lead time', ...fields },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; version: number; status: string };
}

async function occurrence(by: Person, issueId: string, cost: Record<string, number>, fields: Record<string, unknown> = {}) {
  const response = await by.call('logOccurrence', {
    params: { workspaceId, issueId },
    body: {
      occurredOn: today(),
      detectedAt: 'production',
      currency: 'EUR',
      cost,
      ...fields,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number; totalCost: number };
}

describe('issue log', () => {
  it('logs an issue and keeps its aggregates with each occurrence', async () => {
    const issue = await newIssue(manager, {
      functions: ['sales', 'operations'],
      description: 'Reps quote 2 weeks, plant needs 5',
    });
    expect(issue).toMatchObject({ status: 'open', version: 1 });

    await occurrence(
      manager,
      issue.id,
      { 'expedite fees': 1200, 'extra resources': 800.5 },
      { occurredOn: daysAgo(200), detectedAt: 'delivery' },
    );
    await occurrence(rep, issue.id, { 'setup change': 300 }, { detectedAt: 'order entry', reference: 'Deal 4711' });

    const read = await manager.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      occurrenceCount: 2,
      totalCost: 2300.5,
      costByType: { 'expedite fees': 1200, 'extra resources': 800.5, 'setup change': 300, 'delayed production': 0, other: 0 },
      firstSeen: daysAgo(200),
      lastSeen: today(),
      earliestDetection: 'order entry',
      recentCost: 300,
    });
    expect(read.body.score.explanation).toMatch(
      /^[\d.]+ = [\d.]+ cost \+ [\d.]+ recent cost \+ [\d.]+ frequency \+ [\d.]+ detection$/,
    );
    const partsSum = read.body.score.parts.reduce((sum: number, part: { points: number }) => sum + part.points * 10, 0) / 10;
    expect(read.body.score.total).toBeCloseTo(partsSum, 5);
    expect(['High', 'Medium', 'Low']).toContain(read.body.actionPriority.priority);

    const occurrences = await rep.call('listOccurrences', { params: { workspaceId, issueId: issue.id } });
    expect(occurrences.body.items).toHaveLength(2);
    expect(occurrences.body.items[0]).toMatchObject({ reference: 'Deal 4711', reporter: rep.email, totalCost: 300 });
  });

  it('keeps aggregates exact under 50 concurrent occurrence writes to one issue', async () => {
    const issue = await newIssue(manager, { title: 'Scope sold differently from delivery', category: 'scope' });
    const amounts = Array.from({ length: 50 }, (_, index) => ({
      'extra resources': 100 + index,
      'expedite fees': (index % 7) * 10.25,
      other: index % 3 === 0 ? 0.01 : 0,
    }));
    const stages = ['quoting', 'order entry', 'production', 'delivery', 'customer complaint'] as const;
    const results = await Promise.all(
      amounts.map((cost, index) =>
        rep.call('logOccurrence', {
          params: { workspaceId, issueId: issue.id },
          body: {
            occurredOn: daysAgo(index % 5),
            detectedAt: present(stages[index % 5]),
            currency: 'EUR',
            cost,
          },
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(50).fill(201));

    const read = (await manager.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } })).body;
    const cents = (value: number) => Math.round(value * 100);
    const expectedByType = (type: 'extra resources' | 'expedite fees' | 'other') =>
      amounts.reduce((sum, cost) => sum + cents(cost[type]), 0) / 100;
    expect(read.occurrenceCount).toBe(50);
    expect(read.costByType['extra resources']).toBe(expectedByType('extra resources'));
    expect(read.costByType['expedite fees']).toBe(expectedByType('expedite fees'));
    expect(read.costByType.other).toBe(expectedByType('other'));
    const occurrenceSum = results.reduce((sum, result) => sum + cents(result.body.totalCost), 0) / 100;
    expect(read.totalCost).toBe(occurrenceSum);
    expect(Object.values(read.stageCounts)).toEqual([10, 10, 10, 10, 10]);
    expect(Object.values(read.countByDay as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(50);

    // Paging through every occurrence gives the same count and sum.
    let cursor: string | null = null;
    let count = 0;
    let sum = 0;
    do {
      const page: { body: { items: Array<{ totalCost: number }>; nextCursor: string | null } } = await rep.call(
        'listOccurrences',
        {
          params: { workspaceId, issueId: issue.id },
          query: { limit: 20, cursor: cursor ?? undefined },
        },
      );
      count += page.body.items.length;
      sum += page.body.items.reduce((total, item) => total + cents(item.totalCost), 0);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(count).toBe(50);
    expect(sum / 100).toBe(read.totalCost);
  });

  it('corrects an occurrence as a new version and moves the aggregates by the difference', async () => {
    const issue = await newIssue(manager, { title: 'Quota pushes solution A', category: 'quota/incentive' });
    const first = await occurrence(
      rep,
      issue.id,
      { 'extra resources': 500 },
      { occurredOn: daysAgo(10), detectedAt: 'customer complaint' },
    );
    await occurrence(rep, issue.id, { other: 50 });

    const corrected = await rep.call('correctOccurrence', {
      params: { workspaceId, issueId: issue.id, occurrenceId: first.id },
      body: {
        cost: { 'extra resources': 450, 'setup change': 25 },
        occurredOn: daysAgo(120),
        detectedAt: 'delivery',
        expectedVersion: 1,
      },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ version: 2, totalCost: 475, occurredOn: daysAgo(120) });

    const stale = await rep.call('correctOccurrence', {
      params: { workspaceId, issueId: issue.id, occurrenceId: first.id },
      body: { notes: 'again', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ version: 2 });

    const read = (await manager.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } })).body;
    expect(read).toMatchObject({
      occurrenceCount: 2,
      totalCost: 525,
      costByType: { 'extra resources': 450, 'setup change': 25, other: 50 },
      stageCounts: { 'customer complaint': 0, delivery: 1, production: 1 },
      firstSeen: daysAgo(120),
      lastSeen: today(),
      recentCost: 50,
    });

    // Another rep may not correct someone else's occurrence; a manager may.
    const otherRepEmail = uniqueEmail('raj');
    await admin.call('inviteMember', { params: { workspaceId }, body: { email: otherRepEmail, function: 'sales', role: 'rep' } });
    const otherRep = await signInAs(api, otherRepEmail);
    const refused = await otherRep.call('correctOccurrence', {
      params: { workspaceId, issueId: issue.id, occurrenceId: first.id },
      body: { notes: 'x', expectedVersion: 2 },
    });
    expect(refused.status).toBe(403);
    const byManager = await manager.call('correctOccurrence', {
      params: { workspaceId, issueId: issue.id, occurrenceId: first.id },
      body: {
        notes: 'checked',
        expectedVersion: 2,
      },
    });
    expect(byManager.status).toBe(200);
  });

  it('edits, closes and reopens issues with optimistic concurrency and allowed status changes', async () => {
    const issue = await newIssue(manager, { title: 'Reps misread the flex band', category: 'training' });
    const analysing = await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: issue.id },
      body: { status: 'analysing', owner: manager.email, expectedVersion: 1 },
    });
    expect(analysing.body).toMatchObject({ status: 'analysing', owner: manager.email, version: 2 });
    const stale = await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: issue.id },
      body: { title: 'x', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ version: 2, status: 'analysing' });
    const resolved = await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: issue.id },
      body: { status: 'resolved', expectedVersion: 2 },
    });
    expect(resolved.body.status).toBe('resolved');
    const notAllowed = await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: issue.id },
      body: { status: 'action planned', expectedVersion: 3 },
    });
    expect(notAllowed.status).toBe(409);
    expect(notAllowed.body.message).toMatch(/cannot become action planned/);
    const reopened = await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: issue.id },
      body: { status: 'open', expectedVersion: 3 },
    });
    expect(reopened.body).toMatchObject({ status: 'open', version: 4 });
  });

  it('filters the log by category, status, function, owner and title, and exports it as CSV', async () => {
    const own = await newIssue(manager, {
      title: '=HYPERLINK ERP shows stale stock',
      category: 'information system',
      functions: ['finance'],
    });
    await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: own.id },
      body: { owner: rep.email, expectedVersion: 1 },
    });
    const byCategory = await rep.call('listMisalignmentIssues', {
      params: { workspaceId },
      query: { category: 'information system' },
    });
    expect(byCategory.body.items.map((issue: { id: string }) => issue.id)).toEqual([own.id]);
    const byTitle = await rep.call('listMisalignmentIssues', { params: { workspaceId }, query: { q: 'STALE stock' } });
    expect(byTitle.body.items.map((issue: { id: string }) => issue.id)).toEqual([own.id]);
    const byFunction = await rep.call('listMisalignmentIssues', { params: { workspaceId }, query: { function: 'finance' } });
    expect(byFunction.body.items.map((issue: { id: string }) => issue.id)).toEqual([own.id]);
    const byOwner = await rep.call('listMisalignmentIssues', { params: { workspaceId }, query: { owner: rep.email } });
    expect(byOwner.body.items.map((issue: { id: string }) => issue.id)).toEqual([own.id]);
    const resolved = await rep.call('listMisalignmentIssues', { params: { workspaceId }, query: { status: 'resolved' } });
    expect(resolved.body.items).toEqual([]);

    const csv = await rep.call('exportMisalignmentIssues', {
      params: { workspaceId },
      query: { category: 'information system' },
    });
    expect(csv.status).toBe(200);
    expect(csv.body.count).toBe(1);
    const lines = (csv.body.csv as string).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,title,category,status/);
    // A title that looks like a formula is exported as text.
    expect(lines[1]).toContain("'=HYPERLINK ERP shows stale stock");
  });

  it('filters the log by affected item and by when issues occurred, e.g. a cycle’s dates', async () => {
    const item = await manager.call('createPortfolioItem', {
      params: { workspaceId },
      body: {
        code: `CP-${Math.floor(Math.random() * 1e6)}`,
        name: 'Centrifugal pump',
        kind: 'product',
        unit: 'unit',
      },
    });
    expect(item.status).toBe(201);
    const old = await newIssue(manager, { title: 'Old lead time trouble', itemIds: [item.body.id] });
    await occurrence(rep, old.id, { other: 10 }, { occurredOn: daysAgo(200) });
    const idsOf = async (query: CallInput<'listMisalignmentIssues'>['query']) =>
      (await rep.call('listMisalignmentIssues', { params: { workspaceId }, query: { limit: 200, ...query } })).body.items.map(
        (issue) => issue.id,
      );
    expect(await idsOf({ itemId: item.body.id })).toEqual([old.id]);
    expect(await idsOf({ itemId: item.body.id, from: daysAgo(210), to: daysAgo(190) })).toEqual([old.id]);
    expect(await idsOf({ itemId: item.body.id, from: daysAgo(100) })).toEqual([]);
    expect(await idsOf({ from: daysAgo(199), to: daysAgo(199) })).not.toContain(old.id);
    const exported = await rep.call('exportMisalignmentIssues', {
      params: { workspaceId },
      query: { from: daysAgo(201), to: daysAgo(199) },
    });
    expect(exported.body.csv).toContain('Old lead time trouble');
  });

  it('refuses an occurrence in another currency than the issue counts in, writing nothing', async () => {
    const issue = await newIssue(manager);
    const response = await rep.call('logOccurrence', {
      params: { workspaceId, issueId: issue.id },
      body: {
        occurredOn: today(),
        detectedAt: 'quoting',
        currency: 'USD',
        cost: { other: 10 },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.details[0]).toMatchObject({ field: 'body.currency', message: expect.stringContaining('EUR') });
    expect((await rep.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } })).body.occurrenceCount).toBe(0);
    expect((await rep.call('listOccurrences', { params: { workspaceId, issueId: issue.id } })).body.items).toEqual([]);
  });
});

describe('ranking', () => {
  it('ranks by an absolute score: adding an issue never changes another issue’s score', async () => {
    const cycle = await newCycle();
    const big = await newIssue(manager, { title: 'Expedites for rush orders', category: 'lead time' });
    await occurrence(rep, big.id, { 'expedite fees': 40_000 }, { detectedAt: 'customer complaint' });
    const before = (await rep.call('getRanking', { params: { workspaceId, cycleId: cycle } })).body;
    const bigBefore = present(before.entries.find((entry) => entry.issueId === big.id));
    expect(bigBefore.score.total).toBeGreaterThan(0);

    const huge = await newIssue(manager, { title: 'Machine resets for special sizes', category: 'parameter misunderstanding' });
    await occurrence(rep, huge.id, { 'setup change': 900_000 }, { detectedAt: 'customer complaint' });
    const after = (await rep.call('getRanking', { params: { workspaceId, cycleId: cycle } })).body;
    const bigAfter = present(after.entries.find((entry) => entry.issueId === big.id));
    expect(bigAfter.score).toEqual(bigBefore.score);
    const ranks = after.entries.map((entry: { rank: number }) => entry.rank);
    expect(ranks).toEqual(ranks.map((_: number, index: number) => index + 1));
    const totals = after.entries.map((entry: { score: { total: number } }) => entry.score.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const rankOf = (id: string) => present(after.entries.find((entry) => entry.issueId === id)).rank;
    expect(rankOf(huge.id)).toBeLessThan(rankOf(big.id));

    // The Pareto view sorts cost and ends its cumulative line at 100 %.
    const byIssue = after.pareto.byIssue as Array<{ cost: number; cumulativeShare: number }>;
    expect(byIssue.map((entry) => entry.cost)).toEqual([...byIssue.map((entry) => entry.cost)].sort((a, b) => b - a));
    expect(byIssue.at(-1)?.cumulativeShare).toBe(100);
    expect(after.pareto.byCategory[0]).toMatchObject({ key: 'parameter misunderstanding', cost: 900_000 });
  });

  it('lets managers dot-vote within the limit, shows votes beside the score, and freezes the ranking', async () => {
    const cycle = await newCycle();
    const ranking = () => rep.call('getRanking', { params: { workspaceId, cycleId: cycle } });
    const first = await newIssue(manager, { title: 'Scope of installation unclear', category: 'scope' });
    await occurrence(rep, first.id, { 'extra resources': 2_000 });
    const second = await newIssue(manager, { title: 'Handover notes missing', category: 'communication' });
    await occurrence(rep, second.id, { other: 150 });

    const tooMany = await manager.call('castVotes', {
      params: { workspaceId, cycleId: cycle },
      body: {
        allocations: [
          { issueId: first.id, votes: 8 },
          { issueId: second.id, votes: 3 },
        ],
        expectedVersion: 0,
      },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details[0].message).toMatch(/at most 10 votes/);

    // Votes belong to a budget cycle of the workspace; a cycle id it does not have stores none.
    const before = await snapshot(workspaceId);
    const unknownCycle = await manager.call('castVotes', {
      params: { workspaceId, cycleId: 'no-such-cycle' },
      body: {
        allocations: [{ issueId: first.id, votes: 1 }],
        expectedVersion: 0,
      },
    });
    expect(unknownCycle.status).toBe(404);
    expect(unknownCycle.body.message).toBe('Budget cycle no-such-cycle not found');
    expect(await snapshot(workspaceId)).toEqual(before);
    expect(await partitionItems(workspaceId, undefined, undefined, '#CYCLE#no-such-cycle')).toEqual([]);

    const voted = await manager.call('castVotes', {
      params: { workspaceId, cycleId: cycle },
      body: {
        allocations: [
          { issueId: first.id, votes: 3 },
          { issueId: second.id, votes: 7 },
        ],
        expectedVersion: 0,
      },
    });
    expect(voted.status).toBe(200);
    const adminVotes = await admin.call('castVotes', {
      params: { workspaceId, cycleId: cycle },
      body: {
        allocations: [{ issueId: second.id, votes: 2 }],
        expectedVersion: 0,
      },
    });
    expect(adminVotes.status).toBe(200);
    const repVotes = await rep.call('castVotes', {
      params: { workspaceId, cycleId: cycle },
      body: {
        allocations: [{ issueId: first.id, votes: 1 }],
        expectedVersion: 0,
      },
    });
    expect(repVotes.status).toBe(403);

    const live = (await ranking()).body;
    const votesOf = (body: { entries: Array<{ issueId: string; votes: number }> }, id: string) =>
      body.entries.find((entry) => entry.issueId === id)?.votes;
    expect(votesOf(live, first.id)).toBe(3);
    expect(votesOf(live, second.id)).toBe(9);

    const repFreeze = await rep.call('freezeRanking', { params: { workspaceId, cycleId: cycle }, body: {} });
    expect(repFreeze.status).toBe(403);
    const frozen = await manager.call('freezeRanking', {
      params: { workspaceId, cycleId: cycle },
      body: {
        note: 'Agreed in the FY budget meeting',
      },
    });
    expect(frozen.status).toBe(201);
    expect(frozen.body).toMatchObject({ cycleId: cycle, frozenBy: manager.email, note: 'Agreed in the FY budget meeting' });
    const frozenEntries = frozen.body.entries;
    expect(frozenEntries).toEqual(live.entries);

    // Later occurrences, edits and votes change the live ranking, never the frozen one.
    await occurrence(rep, second.id, { 'delayed production': 75_000 }, { detectedAt: 'customer complaint' });
    await manager.call('updateMisalignmentIssue', {
      params: { workspaceId, issueId: first.id },
      body: { status: 'resolved', expectedVersion: 1 },
    });
    const lateVote = await admin.call('castVotes', {
      params: { workspaceId, cycleId: cycle },
      body: {
        allocations: [{ issueId: second.id, votes: 5 }],
        expectedVersion: 1,
      },
    });
    expect(lateVote.status).toBe(409);
    const again = await manager.call('freezeRanking', { params: { workspaceId, cycleId: cycle }, body: {} });
    expect(again.status).toBe(409);

    const later = (await ranking()).body;
    expect(present(later.frozen).entries).toEqual(frozenEntries);
    expect(present(later.frozen).frozenAt).toBe(frozen.body.frozenAt);
    expect(later.entries).not.toEqual(frozenEntries);

    // The next cycle compares against the frozen one.
    const next = (
      await rep.call('getRanking', { params: { workspaceId, cycleId: `${cycle}-next` }, query: { compareTo: cycle } })
    ).body;
    expect(next.frozen).toBeNull();
    const comparison = present(next.comparison, 'the comparison');
    expect(comparison.resolved.map((entry) => entry.issueId)).toContain(first.id);
    const move = present(comparison.moves.find((entry) => entry.issueId === second.id));
    expect(move.before).toBe(present(frozenEntries.find((entry: { issueId: string }) => entry.issueId === second.id)).rank);
    expect(comparison.costNow - comparison.costBefore).toBe(75_000);
  });

  it('freezes a cycle once when two managers freeze at the same moment', async () => {
    const cycle = await newCycle();
    const issue = await newIssue(manager, { title: 'Race to freeze' });
    await occurrence(rep, issue.id, { other: 42 });
    const [one, two] = await Promise.all([
      manager.call('freezeRanking', { params: { workspaceId, cycleId: cycle }, body: { note: 'by Olga' } }),
      admin.call('freezeRanking', { params: { workspaceId, cycleId: cycle }, body: { note: 'by the admin' } }),
    ]);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    const winner = one.status === 201 ? one.body : two.body;
    const frozen = (await rep.call('getRanking', { params: { workspaceId, cycleId: cycle } })).body.frozen;
    expect(frozen).toMatchObject({ freezeId: winner.freezeId, note: winner.note, frozenBy: winner.frozenBy });
    expect(present(frozen).entries).toEqual(winner.entries);
  });

  it('lets only the admin change the scoring model, and scores follow the weights', async () => {
    const model = (await rep.call('getScoringModel', { params: { workspaceId } })).body;
    expect(model).toMatchObject({ version: 0, votesPerManager: 10, currency: 'EUR' });
    const { updatedAt: _u, updatedBy: _b, version: _v, ...fields } = model;
    const change = { ...fields, weights: { cost: 0, recentCost: 0, frequency: 100, detection: 0 }, expectedVersion: 0 };
    expect((await rep.call('saveScoringModel', { params: { workspaceId }, body: change })).status).toBe(403);
    expect((await manager.call('saveScoringModel', { params: { workspaceId }, body: change })).status).toBe(403);
    const saved = await admin.call('saveScoringModel', { params: { workspaceId }, body: change });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, updatedBy: admin.email });
    expect((await admin.call('saveScoringModel', { params: { workspaceId }, body: change })).status).toBe(409);

    const issue = await newIssue(manager, { title: 'Only frequency counts now' });
    await occurrence(rep, issue.id, { other: 99_999 });
    const read = (await rep.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } })).body;
    expect(read.score.parts.map((part: { name: string; points: number }) => [part.name, part.points > 0])).toEqual([
      ['cost', false],
      ['recent cost', false],
      ['frequency', true],
      ['detection', false],
    ]);
    const restore = await admin.call('saveScoringModel', { params: { workspaceId }, body: { ...fields, expectedVersion: 1 } });
    expect(restore.status).toBe(200);
  });
});

describe('permissions and tenancy', () => {
  it('lets a rep log occurrences but not create or edit issues', async () => {
    const issue = await newIssue(manager);
    expect(
      (await rep.call('createMisalignmentIssue', { params: { workspaceId }, body: { title: 'Rep issue', category: 'other' } }))
        .status,
    ).toBe(403);
    expect(
      (
        await rep.call('updateMisalignmentIssue', {
          params: { workspaceId, issueId: issue.id },
          body: { title: 'x', expectedVersion: 1 },
        })
      ).status,
    ).toBe(403);
    await occurrence(rep, issue.id, { other: 1 });
  });

  it('refuses every issue route to members of another workspace', async () => {
    const issue = await newIssue(manager, { title: 'Secret issue of Issue Log Pumps' });
    const first = await occurrence(rep, issue.id, { other: 5 });
    const outsider = await api.person('outsider');
    const otherWorkspace = (await outsider.call('createWorkspace', { body: { name: 'Elsewhere' } })).body.id;
    const attempts = [
      outsider.call('listMisalignmentIssues', { params: { workspaceId } }),
      outsider.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } }),
      outsider.call('listOccurrences', { params: { workspaceId, issueId: issue.id } }),
      outsider.call('logOccurrence', {
        params: { workspaceId, issueId: issue.id },
        body: {
          occurredOn: today(),
          detectedAt: 'quoting',
          currency: 'EUR',
          cost: { other: 1 },
        },
      }),
      outsider.call('correctOccurrence', {
        params: { workspaceId, issueId: issue.id, occurrenceId: first.id },
        body: { notes: 'x', expectedVersion: 1 },
      }),
      outsider.call('getRanking', { params: { workspaceId, cycleId: 'FY2027' } }),
      outsider.call('freezeRanking', { params: { workspaceId, cycleId: 'FY2027' }, body: {} }),
      outsider.call('exportMisalignmentIssues', { params: { workspaceId } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Secret issue');
    }
    // Through their own workspace the issue id leads nowhere either.
    const viaOwn = await outsider.call('getMisalignmentIssue', { params: { workspaceId: otherWorkspace, issueId: issue.id } });
    expect(viaOwn.status).toBe(404);
    const ownCycle = await outsider.call('createCycle', {
      params: { workspaceId: otherWorkspace },
      body: {
        name: 'Outsider FY2027',
        startDate: '2027-01-01',
        endDate: '2027-12-31',
      },
    });
    expect(ownCycle.status).toBe(201);
    const voteViaOwn = await outsider.call('castVotes', {
      params: { workspaceId: otherWorkspace, cycleId: ownCycle.body.id },
      body: {
        allocations: [{ issueId: issue.id, votes: 1 }],
        expectedVersion: 0,
      },
    });
    expect(voteViaOwn.status).toBe(400);
    expect((await rep.call('getMisalignmentIssue', { params: { workspaceId, issueId: issue.id } })).body.occurrenceCount).toBe(1);
  });
});
