import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../functions/store/client';
import { createIssue, logOccurrence } from '../../functions/store/misalignment';
import { liveRanking } from '../../functions/store/ranking';
import { createWorkspace } from '../../functions/store/workspaces';

const actor = { sub: 'olga', email: 'olga.ops@reads.example', name: 'Olga' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ranking reads', () => {
  it('reads issue items only, never occurrences, however many occurrences there are', async () => {
    const now = new Date().toISOString();
    const workspaceId = (await createWorkspace({ name: 'Reads Pumps', creator: actor, now })).id;
    const occurrencesPerIssue = [0, 1, 5, 20];
    for (const [index, count] of occurrencesPerIssue.entries()) {
      const issue = await createIssue(
        workspaceId,
        {
          title: `Issue ${index}`,
          description: '',
          category: 'other',
          itemIds: [],
          functions: [],
          owner: null,
          cycleId: null,
          meetingIds: [],
          thresholdVersionIds: [],
          currency: 'EUR',
        },
        actor,
        now,
      );
      await Promise.all(
        Array.from({ length: count }, () =>
          logOccurrence(
            workspaceId,
            issue.id,
            {
              occurredOn: now.slice(0, 10),
              reference: '',
              detectedAt: 'delivery',
              cost: { other: 100 },
              currency: 'EUR',
              notes: '',
            },
            actor,
            now,
          ),
        ),
      );
    }

    const send = vi.spyOn(dynamo, 'send');
    const ranking = await liveRanking({ workspaceId, cycleId: 'FY2027', caller: actor, now });
    expect(ranking.entries.map((entry) => entry.occurrenceCount)).toEqual([20, 5, 1, 0]);
    expect(ranking.entries[0]?.totalCost).toBe(2000);

    const inputs = send.mock.calls.map(([command]) => (command as { input: Record<string, unknown> }).input);
    const keyValues = inputs.map((input) => JSON.stringify([input.ExpressionAttributeValues, input.Key]));
    // Occurrences live in `WS#<ws>#ISSUE#<id>` partitions; nothing in a ranking may read them.
    expect(keyValues.filter((text) => text.includes('#ISSUE#'))).toEqual([]);
    const issueQueries = inputs.filter((input) => JSON.stringify(input.ExpressionAttributeValues ?? {}).includes('"ISSUE#"'));
    expect(issueQueries).toHaveLength(1);
    // Issues, scoring model, votes, the frozen header: a fixed number of reads, not one per issue or occurrence.
    expect(send.mock.calls.length).toBeLessThanOrEqual(4);
  });
});
