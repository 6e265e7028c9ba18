import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#contract/views';
import { generateCommitments, generateIssues, generateItems, generateOccurrences } from '#scripts/bench/generate';
import { agreedItem, benchTeam } from '#scripts/bench/requests';
import { type Person, startApi, type TestApi } from '#test/support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const callerOf = (person: Person): Caller => ({ sub: person.email, email: person.email, name: person.email });

/** `npm run bench` generates its scale data with these functions; at this size they run in every test run. */
describe('the benchmark data generator', () => {
  it('writes items, commitments, issues and occurrences the API reads back', async () => {
    const team = await benchTeam(api, 'Generated Pumps');
    const { itemId } = await agreedItem(team);
    await generateItems(team.workspaceId, callerOf(team.admin), 3);
    await generateCommitments(team.workspaceId, [itemId], callerOf(team.rep), 4);
    const cycleId = (await team.cycle()).id as string;
    const issueIds = await generateIssues(team.workspaceId, callerOf(team.admin), 2, cycleId);
    await generateOccurrences(team.workspaceId, issueIds, callerOf(team.rep), 5);

    const items = await team.rep.call('listPortfolioItems', { params: { workspaceId: team.workspaceId }, query: { limit: 50 } });
    expect(items.status).toBe(200);
    expect(items.body.items).toHaveLength(4);

    const commitments = await team.rep.call('listCommitments', { params: { workspaceId: team.workspaceId, itemId } });
    expect(commitments.status).toBe(200);
    expect(commitments.body.items).toHaveLength(4);

    const ranking = await team.rep.call('getRanking', { params: { workspaceId: team.workspaceId, cycleId } });
    expect(ranking.status).toBe(200);
    expect(ranking.body.entries).toHaveLength(2);
    const logged = ranking.body.entries.reduce(
      (sum: number, entry: { occurrenceCount: number }) => sum + entry.occurrenceCount,
      0,
    );
    expect(logged).toBe(5);
  });
});
