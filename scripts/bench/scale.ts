import type { Caller } from '#contract/views';
import type { Person, TestApi } from '#test/support/api';
import { generateCommitments, generateIssues, generateItems, generateOccurrences } from './generate';
import { generateDeliveredCommitments } from './generate-deliveries';
import type { Figure } from './report';
import { type BenchTeam, benchTeam } from './requests';
import { measureApprovalLatency } from './scale-approval';
import { measurePlanScale } from './scale-plan';

const callerOf = (person: Person, name: string): Caller => ({ sub: person.email, email: person.email, name });

/** Agreed items in an agreed cycle, through the API (thresholds need both sign-offs). */
async function agreedItems(team: BenchTeam, count: number): Promise<string[]> {
  const cycle = await team.cycle();
  await team.advance(cycle.id, ['planning']);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const item = await team.item();
    await team.agree(cycle.id, item.id);
    ids.push(item.id);
  }
  await team.advance(cycle.id, ['agreed']);
  return ids;
}

/** Median latency of `rounds` calls to each path, alternating so machine load hits both alike. */
async function compare(who: [Person, Person], paths: [string, string], rounds: number) {
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const side of [0, 1] as const) {
      const start = performance.now();
      const answer = await who[side].get(paths[side]);
      if (answer.status !== 200)
        throw new Error(`${paths[side]} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
      times[side].push(performance.now() - start);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return { small: median(times[0]), large: median(times[1]) };
}

/**
 * Section 5: how the cost of the promise check, the kept rate, the ranking
 * and the issue list grows with the data, on data written by the generator;
 * the sales plan at scale; and how soon a rep sees an approval.
 */
export async function measureScale(api: TestApi, quick: boolean): Promise<Figure[]> {
  const size = quick
    ? { items: 100, commitments: 400, agreed: 2, issues: 50, occurrences: [50, 1_000], list: [50, 400], rounds: 11 }
    : {
        items: 5_000,
        commitments: 50_000,
        agreed: 20,
        issues: 2_000,
        occurrences: [1_000, 100_000],
        list: [100, 2_000],
        rounds: 31,
      };
  const figures: Figure[] = [];
  const log = (what: string) => console.error(`  scale: ${what}`);

  // Promise check: 10 items vs many items and commitments.
  log(`promise check: 10 vs ${size.items} items, ${size.commitments} commitments`);
  const small = await benchTeam(api, 'Scale small');
  const [smallItem] = await agreedItems(small, 1);
  await generateItems(small.workspaceId, callerOf(small.admin, 'admin'), 9);
  await generateCommitments(small.workspaceId, [smallItem ?? ''], callerOf(small.rep, 'rep'), 10);
  const large = await benchTeam(api, 'Scale large');
  const largeItems = await agreedItems(large, size.agreed);
  await generateItems(large.workspaceId, callerOf(large.admin, 'admin'), size.items - size.agreed);
  await generateCommitments(large.workspaceId, largeItems, callerOf(large.rep, 'rep'), size.commitments);
  const check = (team: BenchTeam, itemId: string) => `${team.w}/catalogue/${itemId}/promise-check?quantity=10&leadTimeDays=15`;
  const promise = await compare(
    [small.rep, large.rep],
    [check(small, smallItem ?? ''), check(large, largeItems[0] ?? '')],
    size.rounds,
  );
  figures.push({
    section: 'scale',
    name: `promise check: ${size.items} items + ${size.commitments} commitments vs 10 items`,
    value: promise.large / promise.small,
    unit: '×',
    target: { op: '<=', limit: 1.3 },
    note: `${promise.large.toFixed(1)} ms vs ${promise.small.toFixed(1)} ms (median of ${size.rounds})`,
  });

  // Promise-kept rate: an item with 100 vs 50,000 delivered commitments (full size; 100 vs 1,000 quick).
  const delivered = quick ? 1_000 : 50_000;
  log(`kept rate: an item with 100 vs ${delivered} delivered commitments`);
  const keptRatePath = async (team: BenchTeam, count: number) => {
    const cycle = (await team.cycle()).id as string;
    const [itemId = ''] = await agreedItems(team, 1);
    await generateDeliveredCommitments(
      { workspaceId: team.workspaceId, itemId, itemCode: 'KEPT', cycleId: cycle },
      callerOf(team.rep, 'rep'),
      count,
    );
    return `${team.w}/promise-kept-rate?scope=item&scopeId=${itemId}`;
  };
  const keptSmall = await benchTeam(api, 'Kept small');
  const keptLarge = await benchTeam(api, 'Kept large');
  const kept = await compare(
    [keptSmall.rep, keptLarge.rep],
    [await keptRatePath(keptSmall, 100), await keptRatePath(keptLarge, delivered)],
    size.rounds,
  );
  figures.push({
    section: 'scale',
    name: `kept rate for an item: ${delivered} vs 100 commitments`,
    value: kept.large / kept.small,
    unit: '×',
    target: { op: '<=', limit: 1.3 },
    note: `${kept.large.toFixed(1)} ms vs ${kept.small.toFixed(1)} ms (median of ${size.rounds})`,
  });

  // Ranking: a cycle of many issues with few vs many occurrences.
  log(`ranking: ${size.issues} issues with ${size.occurrences[0]} vs ${size.occurrences[1]} occurrences`);
  const sparse = await benchTeam(api, 'Ranking sparse');
  const dense = await benchTeam(api, 'Ranking dense');
  // Issues must name a budget cycle of their own workspace.
  const sparseCycle = (await sparse.cycle()).id as string;
  const denseCycle = (await dense.cycle()).id as string;
  const sparseIssues = await generateIssues(sparse.workspaceId, callerOf(sparse.admin, 'admin'), size.issues, sparseCycle);
  const denseIssues = await generateIssues(dense.workspaceId, callerOf(dense.admin, 'admin'), size.issues, denseCycle);
  await generateOccurrences(sparse.workspaceId, sparseIssues, callerOf(sparse.rep, 'rep'), size.occurrences[0] ?? 0);
  await generateOccurrences(dense.workspaceId, denseIssues, callerOf(dense.rep, 'rep'), size.occurrences[1] ?? 0);
  const ranking = await compare(
    [sparse.rep, dense.rep],
    [`${sparse.w}/cycles/${sparseCycle}/ranking`, `${dense.w}/cycles/${denseCycle}/ranking`],
    size.rounds,
  );
  figures.push({
    section: 'scale',
    name: `ranking of ${size.issues} issues: ${size.occurrences[1]} vs ${size.occurrences[0]} occurrences`,
    value: ranking.large / ranking.small,
    unit: '×',
    target: { op: '<=', limit: 1.3 },
    note: `${ranking.large.toFixed(1)} ms vs ${ranking.small.toFixed(1)} ms (median of ${size.rounds})`,
  });

  // Issue list: few vs many issues; growth divided by the growth in issues must stay ≤ 1 (no worse than linear).
  const [fewCount, manyCount] = size.list as [number, number];
  log(`issue list: ${fewCount} vs ${manyCount} issues`);
  const few = await benchTeam(api, 'List few');
  const many = await benchTeam(api, 'List many');
  await generateIssues(few.workspaceId, callerOf(few.admin, 'admin'), fewCount, null);
  await generateIssues(many.workspaceId, callerOf(many.admin, 'admin'), manyCount, null);
  const list = await compare([few.rep, many.rep], [`${few.w}/misalignment-issues`, `${many.w}/misalignment-issues`], size.rounds);
  figures.push({
    section: 'scale',
    name: `issue list: ${manyCount} vs ${fewCount} issues, growth / linear`,
    value: list.large / list.small / (manyCount / fewCount),
    unit: '×',
    target: { op: '<=', limit: 1 },
    note: `${list.large.toFixed(1)} ms vs ${list.small.toFixed(1)} ms (median of ${size.rounds}); ${(list.large / list.small).toFixed(2)}× for ${manyCount / fewCount}× the issues`,
  });

  log('sales plan: import 500 × 12 vs 10 × 12, load view round trips');
  figures.push(...(await measurePlanScale(api)));

  log('approval: time until the rep’s item page shows an approval');
  figures.push(...(await measureApprovalLatency(api, quick)));
  return figures;
}
