import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MisalignmentIssue } from '#contract/misalignment/misalignment';
import { demoPeople, demoWorkspaceName, loadDemo } from '#scripts/local/demo';
import { signInAs, startApi, type TestApi } from '#test/support/api';
import { present } from '#test/support/client';
import { useOwnTable } from '#test/support/own-table';

let api: TestApi;
beforeAll(async () => {
  await useOwnTable('demo-issues');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('the demo company', () => {
  it('comes with costed misalignment issues, a ranking with votes, and last cycle’s frozen ranking to compare with', async () => {
    await loadDemo(new Date().toISOString());
    const admin = present(demoPeople[0], 'the demo admin');
    const person = await signInAs(api, admin.email, admin.name);
    const workspace = present(
      (await person.call('getMe')).body.workspaces.find((summary) => summary.name === demoWorkspaceName),
      'the demo workspace',
    );
    const workspaceId = workspace.id;

    const issues: MisalignmentIssue[] = [];
    let cursor: string | undefined;
    do {
      const page = await person.call('listMisalignmentIssues', { params: { workspaceId }, query: { limit: 100, cursor } });
      expect(page.status).toBe(200);
      issues.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(issues.length).toBeGreaterThanOrEqual(7);
    expect(new Set(issues.map((issue) => issue.category)).size).toBeGreaterThanOrEqual(6);
    expect(issues.every((issue) => issue.occurrenceCount > 0 && issue.totalCost > 0)).toBe(true);

    const cycles = (await person.call('listCycles', { params: { workspaceId }, query: { limit: 10 } })).body.items;
    const thisCycle = cycles.find((cycle) => cycle.state === 'planning');
    const lastCycle = cycles.find((cycle) => cycle.state === 'closed');
    const answer = await person.call('getRanking', {
      params: { workspaceId, cycleId: present(thisCycle, 'the planning cycle').id },
      query: { compareTo: lastCycle?.id },
    });
    expect(answer.status).toBe(200);
    const ranking = answer.body;
    expect(ranking.entries.length).toBe(issues.filter((issue) => issue.status !== 'resolved').length);
    expect(ranking.entries.reduce((sum, entry) => sum + entry.votes, 0)).toBe(20);
    expect(ranking.pareto.byCategory.at(-1)?.cumulativeShare).toBe(100);
    expect(ranking.comparison?.resolved.map((entry) => entry.title)).toEqual(['New reps unsure what the flex band allows']);
    expect(ranking.comparison?.costNow).toBeGreaterThan(ranking.comparison?.costBefore ?? Number.POSITIVE_INFINITY);
  });
});
