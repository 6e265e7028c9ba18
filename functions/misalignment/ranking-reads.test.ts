import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { monthBefore } from '#contract/misalignment/misalignment';
import { dynamo, tableName } from '#functions/table/client';
import { createWorkspace } from '#functions/workspaces/workspaces';
import { issueKey } from './entities-issues';
import { createIssue, issueHistory, issuesSeen, logOccurrence } from './misalignment';
import { liveRanking } from './ranking';

const actor = { sub: 'olga', email: 'olga.ops@reads.example', name: 'Olga' };

afterEach(() => {
  vi.restoreAllMocks();
});

const newIssue = (workspaceId: string, title: string, now: string) =>
  createIssue(
    workspaceId,
    {
      title,
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

const occurrenceOn = (workspaceId: string, issueId: string, occurredOn: string, now: string) =>
  logOccurrence(
    workspaceId,
    issueId,
    { occurredOn, reference: '', detectedAt: 'production', cost: { other: 10 }, currency: 'EUR', notes: '' },
    actor,
    now,
  );

const storedItem = async (workspaceId: string, issueId: string) =>
  (await dynamo.send(new GetCommand({ TableName: tableName(), Key: issueKey(workspaceId, issueId), ConsistentRead: true })))
    .Item ?? {};

const dayBefore = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('issue item size', () => {
  it('stays the same however many days an issue occurred on; the days go to its DAY# items', async () => {
    const now = new Date().toISOString();
    const workspaceId = (await createWorkspace({ name: 'Size Pumps', creator: actor, now })).id;
    const once = await newIssue(workspaceId, 'Once', now);
    const often = await newIssue(workspaceId, 'Every few days for two years', now);
    await occurrenceOn(workspaceId, once.id, dayBefore(0), now);
    const days = Array.from({ length: 120 }, (_, index) => dayBefore(index * 6));
    for (const day of days) await occurrenceOn(workspaceId, often.id, day, now);

    const onceItem = await storedItem(workspaceId, once.id);
    const oftenItem = await storedItem(workspaceId, often.id);
    const recentNames = (item: Record<string, unknown>) => Object.keys(item).filter((name) => name.startsWith('recentCost#'));
    // At most the recent window's three monthly buckets; everything else is the same set of attributes.
    expect(recentNames(oftenItem).sort()).toEqual(
      [monthBefore(now, 2), monthBefore(now, 1), monthBefore(now, 0)].map((m) => `recentCost#${m}`),
    );
    const fixed = (item: Record<string, unknown>) =>
      Object.keys(item)
        .filter((name) => !name.startsWith('recentCost#'))
        .sort();
    expect(fixed(oftenItem)).toEqual(fixed(onceItem));
    expect(oftenItem.occurrenceCount).toBe(120);

    const history = await issueHistory(workspaceId, often.id);
    expect(Object.keys(history.countByDay)).toHaveLength(120);
    expect(history).toMatchObject({ firstSeen: days.at(-1), lastSeen: days[0] });
    const seen = await issuesSeen(workspaceId, { from: dayBefore(30), to: dayBefore(12) });
    expect([...seen.keys()]).toEqual([often.id]);
    expect(seen.get(often.id)).toEqual({ firstSeen: dayBefore(30), lastSeen: dayBefore(12) });
  });

  it('drops the recent bucket of a month that has left the window', async () => {
    const now = new Date().toISOString();
    const fiveMonthsAgo = `${monthBefore(now, 5)}-10T09:00:00.000Z`;
    const workspaceId = (await createWorkspace({ name: 'Window Pumps', creator: actor, now })).id;
    const issue = await newIssue(workspaceId, 'Back then and now', fiveMonthsAgo);
    // Logged back then, while its month was recent.
    await occurrenceOn(workspaceId, issue.id, fiveMonthsAgo.slice(0, 10), fiveMonthsAgo);
    expect(await storedItem(workspaceId, issue.id)).toHaveProperty([`recentCost#${monthBefore(now, 5)}`], 1000);
    await occurrenceOn(workspaceId, issue.id, now.slice(0, 10), now);
    const item = await storedItem(workspaceId, issue.id);
    expect(Object.keys(item).filter((name) => name.startsWith('recentCost#'))).toEqual([`recentCost#${monthBefore(now, 0)}`]);
    expect(item.totalCostMinor).toBe(2000);
  });
});

describe('ranking reads', () => {
  it('reads issue items only, never occurrences, however many occurrences there are', async () => {
    const now = new Date().toISOString();
    const workspaceId = (await createWorkspace({ name: 'Reads Pumps', creator: actor, now })).id;
    const occurrencesPerIssue = [0, 1, 5, 20];
    for (const [index, count] of occurrencesPerIssue.entries()) {
      const issue = await newIssue(workspaceId, `Issue ${index}`, now);
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
