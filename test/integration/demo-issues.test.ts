import { beforeAll, describe, expect, it } from 'vitest';
import { allIssues } from '#functions/misalignment/misalignment';
import { liveRanking } from '#functions/misalignment/ranking';
import { listCycles } from '#functions/thresholds/cycles';
import { listWorkspacesOf } from '#functions/workspaces/workspaces';
import { demoPeople, demoWorkspaceName, loadDemo } from '#scripts/local/demo';
import { useOwnTable } from '#test/support/own-table';

beforeAll(async () => {
  await useOwnTable('demo-issues');
});

describe('the demo company', () => {
  it('comes with costed misalignment issues, a ranking with votes, and last cycle’s frozen ranking to compare with', async () => {
    const now = new Date().toISOString();
    await loadDemo(now);
    const admin = demoPeople[0];
    if (!admin) throw new Error('the demo has an admin');
    const workspace = (await listWorkspacesOf(admin.email)).find((summary) => summary.name === demoWorkspaceName);
    if (!workspace) throw new Error('the demo workspace exists');

    const issues = await allIssues(workspace.id);
    expect(issues.length).toBeGreaterThanOrEqual(7);
    expect(new Set(issues.map((issue) => issue.category)).size).toBeGreaterThanOrEqual(6);
    expect(issues.every((issue) => issue.occurrenceCount > 0 && issue.totalCost > 0)).toBe(true);

    const cycles = (await listCycles(workspace.id, { limit: 10 })).items;
    const thisCycle = cycles.find((cycle) => cycle.state === 'planning');
    const lastCycle = cycles.find((cycle) => cycle.state === 'closed');
    const ranking = await liveRanking({
      workspaceId: workspace.id,
      cycleId: thisCycle?.id ?? '',
      compareTo: lastCycle?.id,
      caller: admin,
      now,
    });
    expect(ranking.entries.length).toBe(issues.filter((issue) => issue.status !== 'resolved').length);
    expect(ranking.entries.reduce((sum, entry) => sum + entry.votes, 0)).toBe(20);
    expect(ranking.pareto.byCategory.at(-1)?.cumulativeShare).toBe(100);
    expect(ranking.comparison?.resolved.map((entry) => entry.title)).toEqual(['New reps unsure what the flex band allows']);
    expect(ranking.comparison?.costNow).toBeGreaterThan(ranking.comparison?.costBefore ?? Number.POSITIVE_INFINITY);
  });
});
