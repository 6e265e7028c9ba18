import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#contract/index';
import { type Person, startApi, type TestApi } from '#test/support/api';
import type { RawCallInput } from '#test/support/client';

let api: TestApi;
let admin: Person;
let workspaceId: string;
let issueId: string;
let occurrenceId: string;
let cycleId: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Bad Input Pumps' } })).body.id;
  cycleId = (
    await admin.call('createCycle', {
      params: { workspaceId },
      body: { name: 'FY2027 budget', startDate: '2027-01-01', endDate: '2027-12-31' },
    })
  ).body.id;
  issueId = (
    await admin.call('createMisalignmentIssue', { params: { workspaceId }, body: { title: 'Known issue', category: 'scope' } })
  ).body.id;
  occurrenceId = (
    await admin.call('logOccurrence', {
      params: { workspaceId, issueId },
      body: {
        occurredOn: today,
        detectedAt: 'quoting',
        currency: 'EUR',
        cost: { other: 10 },
      },
    })
  ).body.id;
});
afterAll(async () => {
  await api.close();
});

/** Everything a bad request could have written to, read back to prove nothing changed. */
async function snapshot() {
  const [issues, issue, occurrences, model, ranking] = await Promise.all([
    admin.call('listMisalignmentIssues', { params: { workspaceId }, query: { limit: 200 } }),
    admin.call('getMisalignmentIssue', { params: { workspaceId, issueId } }),
    admin.call('listOccurrences', { params: { workspaceId, issueId } }),
    admin.call('getScoringModel', { params: { workspaceId } }),
    admin.call('getRanking', { params: { workspaceId, cycleId } }),
  ]);
  return JSON.stringify({
    issues: issues.body.items.map((item: { id: string; version: number }) => [item.id, item.version]),
    issue: { ...issue.body, score: undefined },
    occurrences: occurrences.body,
    model: model.body,
    votes: ranking.body.entries.map((entry: { votes: number }) => entry.votes),
    yourVotes: ranking.body.yourVotes,
    frozen: ranking.body.frozen,
  });
}

const longText = 'x'.repeat(5000);

describe('bad input on misalignment routes', () => {
  it('answers 400 with the failing fields on every route, writing nothing', async () => {
    const before = await snapshot();
    // Each case breaks the route's schema on purpose, so it is sent through callRaw.
    const cases: Array<[RouteName, RawCallInput, string[]]> = [
      [
        'createMisalignmentIssue',
        { params: { workspaceId }, body: { title: '', category: 'weather', extra: 1 } },
        ['body.category', 'body.extra', 'body.title'],
      ],
      [
        'createMisalignmentIssue',
        { params: { workspaceId }, body: { title: 'ok', category: 'scope', description: longText, itemIds: ['nope'] } },
        ['body.description', 'body.itemIds.0'],
      ],
      [
        'createMisalignmentIssue',
        { params: { workspaceId }, body: { title: 'ok', category: 'scope', currency: 'euro' } },
        ['body.currency'],
      ],
      [
        'updateMisalignmentIssue',
        { params: { workspaceId, issueId }, body: { status: 'done', expectedVersion: 1 } },
        ['body.status'],
      ],
      ['updateMisalignmentIssue', { params: { workspaceId, issueId }, body: { expectedVersion: 1 } }, ['body']],
      [
        'updateMisalignmentIssue',
        { params: { workspaceId, issueId: 'not-an-id' }, body: { title: 'x', expectedVersion: 1 } },
        ['path.issueId'],
      ],
      [
        'logOccurrence',
        {
          params: { workspaceId, issueId },
          body: { occurredOn: '2026-13-40', detectedAt: 'never', currency: 'EUR', cost: { other: -5, bribes: 3 } },
        },
        ['body.cost.bribes', 'body.cost.other', 'body.detectedAt', 'body.occurredOn'],
      ],
      [
        'logOccurrence',
        { params: { workspaceId, issueId }, body: { occurredOn: today, detectedAt: 'quoting', currency: 'EUR', cost: {} } },
        ['body.cost'],
      ],
      [
        'logOccurrence',
        {
          params: { workspaceId, issueId },
          body: { occurredOn: today, detectedAt: 'quoting', currency: 'EUR', cost: { other: 10.005 }, notes: longText },
        },
        ['body.cost.other', 'body.notes'],
      ],
      [
        'correctOccurrence',
        { params: { workspaceId, issueId, occurrenceId }, body: { cost: { other: 'ten' }, expectedVersion: 0 } },
        ['body.cost.other', 'body.expectedVersion'],
      ],
      [
        'correctOccurrence',
        { params: { workspaceId, issueId, occurrenceId }, body: { id: 'x', expectedVersion: 1 } },
        ['body', 'body.id'],
      ],
      [
        'saveScoringModel',
        {
          params: { workspaceId },
          body: {
            weights: { cost: 500, recentCost: -1, frequency: 1, detection: 1 },
            costScale: 0,
            recentCostScale: 1,
            frequencyScale: 1,
            votesPerManager: 0,
            currency: 'EUR',
            expectedVersion: 0,
          },
        },
        ['body.costScale', 'body.votesPerManager', 'body.weights.cost', 'body.weights.recentCost'],
      ],
      [
        'castVotes',
        { params: { workspaceId, cycleId }, body: { allocations: [{ issueId, votes: 1.5 }], expectedVersion: 0 } },
        ['body.allocations.0.votes'],
      ],
      [
        'castVotes',
        { params: { workspaceId, cycleId }, body: { allocations: [{ issueId, votes: 11 }], expectedVersion: 0 } },
        ['body.allocations'],
      ],
      [
        'castVotes',
        {
          params: { workspaceId, cycleId },
          body: {
            allocations: [
              { issueId, votes: 1 },
              { issueId, votes: 1 },
            ],
            expectedVersion: 0,
          },
        },
        ['body.allocations'],
      ],
      [
        'castVotes',
        { params: { workspaceId, cycleId: 'bad#cycle' }, body: { allocations: [], expectedVersion: 0 } },
        ['path.cycleId'],
      ],
      [
        'freezeRanking',
        { params: { workspaceId, cycleId }, body: { note: longText, meetingId: 'm1' } },
        ['body.meetingId', 'body.note'],
      ],
      ['freezeRanking', { params: { workspaceId, cycleId }, body: { from: '2026-12-01', to: '2026-01-01' } }, ['body']],
      [
        'listMisalignmentIssues',
        { params: { workspaceId }, query: { category: 'weather', limit: 500, colour: 'red' } },
        ['query.category', 'query.colour', 'query.limit'],
      ],
      ['listOccurrences', { params: { workspaceId, issueId }, query: { limit: 0 } }, ['query.limit']],
      [
        'getRanking',
        { params: { workspaceId, cycleId }, query: { from: 'yesterday', compareTo: 'a b' } },
        ['query.compareTo', 'query.from'],
      ],
      ['exportMisalignmentIssues', { params: { workspaceId }, query: { status: 'gone' } }, ['query.status']],
      ['getMisalignmentIssue', { params: { workspaceId, issueId: '12345' } }, ['path.issueId']],
      ['getScoringModel', { params: { workspaceId: 'not-an-id' } }, ['path.workspaceId']],
      [
        'saveScoringModel',
        { params: { workspaceId }, body: { expectedVersion: 0 } },
        [
          'body.costScale',
          'body.currency',
          'body.frequencyScale',
          'body.recentCostScale',
          'body.votesPerManager',
          'body.weights',
        ],
      ],
    ];
    for (const [name, input, fields] of cases) {
      const response = await admin.callRaw(name, input);
      const label = `${name} ${JSON.stringify(input.params)} ${JSON.stringify(input.query)} ${JSON.stringify(input.body)?.slice(0, 80)}`;
      expect(response.status, label).toBe(400);
      expect(response.body.error, label).toBe('ValidationFailed');
      const failing = [...new Set((response.body.details as Array<{ field: string }>).map((detail) => detail.field))].sort();
      expect(failing, label).toEqual(fields);
    }
    expect(await snapshot()).toBe(before);
  });

  it('answers a cursor from another list with 400, and an unknown issue or occurrence with 404, writing nothing', async () => {
    const before = await snapshot();
    const forged = Buffer.from(JSON.stringify({ pk: 'WS#someone-else', sk: 'ISSUE#x' })).toString('base64url');
    expect((await admin.call('listMisalignmentIssues', { params: { workspaceId }, query: { cursor: forged } })).status).toBe(400);
    expect((await admin.call('listMisalignmentIssues', { params: { workspaceId }, query: { cursor: 'garbage!' } })).status).toBe(
      400,
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin.call('getMisalignmentIssue', { params: { workspaceId, issueId: unknown } })).status).toBe(404);
    const onUnknown = await admin.call('logOccurrence', {
      params: { workspaceId, issueId: unknown },
      body: {
        occurredOn: today,
        detectedAt: 'quoting',
        currency: 'EUR',
        cost: { other: 1 },
      },
    });
    expect(onUnknown.status).toBe(404);
    const correctUnknown = await admin.call('correctOccurrence', {
      params: { workspaceId, issueId, occurrenceId: unknown },
      body: {
        notes: 'x',
        expectedVersion: 1,
      },
    });
    expect(correctUnknown.status).toBe(404);
    const voteUnknown = await admin.call('castVotes', {
      params: { workspaceId, cycleId },
      body: {
        allocations: [{ issueId: unknown, votes: 1 }],
        expectedVersion: 0,
      },
    });
    expect(voteUnknown.status).toBe(400);
    expect(await snapshot()).toBe(before);
  });
});
