import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { refuse } from '#contract/refusal';
import { dynamo, tableName } from '#functions/table/client';
import { workspacePk } from '#functions/table/keys';
import { startApi, type TestApi } from '#test/support/api';
import { type BodyOf, present } from '#test/support/client';
import { addItem, createMeeting, full, meetingTeam, runningMeeting } from '#test/support/meetings';
import { topIssues } from './backlog-proposals';
import { decisionEffectWrites } from './decision-effects';

/**
 * Stand-ins for the areas a meeting reads from and writes into, swapped in by
 * one test at a time; every other test runs the real ones.
 */
vi.mock('./decision-effects', async (importOriginal) => {
  const real = await importOriginal<typeof import('./decision-effects')>();
  return { ...real, decisionEffectWrites: vi.fn(real.decisionEffectWrites) };
});
vi.mock('./backlog-proposals', async (importOriginal) => {
  const real = await importOriginal<typeof import('./backlog-proposals')>();
  return { ...real, topIssues: vi.fn(real.topIssues) };
});
const real = {
  effects: (await vi.importActual<typeof import('./decision-effects')>('./decision-effects')).decisionEffectWrites,
  topIssues: (await vi.importActual<typeof import('./backlog-proposals')>('./backlog-proposals')).topIssues,
};
/** Swaps in a stand-in for the writes of a decision's effects until the test ends. */
function standInEffects(implementation: typeof decisionEffectWrites) {
  vi.mocked(decisionEffectWrites).mockImplementation(implementation);
  restore = () => vi.mocked(decisionEffectWrites).mockImplementation(real.effects);
}

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});
/** Puts back the effects' writes or the backlog's top issues a test swapped out. */
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('a meeting and the areas its decisions write into', () => {
  it('writes a decision and its linked issue status change in one transaction: a failing link writes neither', async () => {
    const team = await meetingTeam(api);
    const { meetingId, itemId } = await runningMeeting(team);
    const issueId = randomUUID();
    const issueKey = { pk: `${workspacePk(team.workspaceId)}#ISSUE#${issueId}`, sk: 'ISSUE' };
    await dynamo.send(new PutCommand({ TableName: tableName(), Item: { ...issueKey, status: 'open', version: 1 } }));
    // A stand-in for issue tracking's handler: moves the issue on only from the version the decision saw.
    let expectedIssueVersion = 7;
    standInEffects(async ({ meeting, decision }) =>
      decision.effects.flatMap((effect) =>
        effect.kind !== 'issueStatus'
          ? []
          : [
              {
                Update: {
                  TableName: tableName(),
                  Key: issueKey,
                  UpdateExpression: 'SET #status = :status, decidedIn = :ref, version = version + :one',
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':status': effect.status,
                    ':ref': { meetingId: meeting.id, decisionId: decision.id },
                    ':one': 1,
                    ':expected': expectedIssueVersion,
                  },
                },
              },
            ],
      ),
    );
    const body: BodyOf<'recordOutcome'> = {
      kind: 'decision',
      agendaItemId: itemId,
      text: 'Resolved by the new quoting rule',
      effects: [{ kind: 'issueStatus', issueId, status: 'resolved' }],
    };
    const revisionBefore = (await full(team, meetingId)).meeting.revision;

    const failed = await team.sales.call('recordOutcome', { params: { workspaceId: team.workspaceId, meetingId }, body });
    expect(failed.status).toBe(409);
    expect(failed.body.message).toMatch(/nothing was recorded/);
    const afterFailure = await full(team, meetingId);
    expect(afterFailure.outcomes).toEqual([]);
    expect(afterFailure.meeting.revision).toBe(revisionBefore);
    const untouched = await dynamo.send(new GetCommand({ TableName: tableName(), Key: issueKey }));
    expect(untouched.Item).toMatchObject({ status: 'open', version: 1 });
    expect(untouched.Item?.decidedIn).toBeUndefined();

    expectedIssueVersion = 1;
    const recorded = await team.sales.call('recordOutcome', { params: { workspaceId: team.workspaceId, meetingId }, body });
    expect(recorded.status).toBe(201);
    const issue = await dynamo.send(new GetCommand({ TableName: tableName(), Key: issueKey }));
    expect(issue.Item).toMatchObject({ status: 'resolved', version: 2, decidedIn: { meetingId, decisionId: recorded.body.id } });
    expect((await full(team, meetingId)).outcomes).toEqual([
      expect.objectContaining({ id: recorded.body.id, effects: [{ kind: 'issueStatus', issueId, status: 'resolved' }] }),
    ]);
  });

  it('refuses a decision whose effect its area refuses, writing nothing', async () => {
    const team = await meetingTeam(api);
    const { meetingId, itemId } = await runningMeeting(team);
    // A stand-in for an area that does not take this effect in this workspace.
    standInEffects(async () => {
      throw refuse.invalid('Decisions cannot sign threshold versions off in this workspace yet');
    });
    const response = await team.sales.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'decision',
        agendaItemId: itemId,
        text: 'Agree v3',
        effects: [
          {
            kind: 'thresholdSignOff',
            thresholdId: randomUUID(),
            thresholdVersion: 3,
            signers: [team.sales.email, team.ops.email],
          },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/cannot sign threshold versions off/);
    expect((await full(team, meetingId)).outcomes).toEqual([]);
  });
});

describe('the agenda backlog', () => {
  it('proposes the cycle’s top issues from the ranking provider and moves a proposal into the agenda on request', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    // The proposal names an issue of the workspace, as the ranking provider does.
    const issue = await team.admin.call('createMisalignmentIssue', {
      params: { workspaceId: team.workspaceId },
      body: {
        title: 'Lead times promised beyond capacity',
        category: 'lead time',
      },
    });
    expect(issue.status).toBe(201);
    const issueId = issue.body.id as string;
    const asked: Array<[string, string, number]> = [];
    vi.mocked(topIssues).mockImplementation(async (workspaceId, cycleId, n) => {
      asked.push([workspaceId, cycleId, n]);
      return [
        {
          source: { kind: 'issue', issueId },
          title: 'Lead times promised beyond capacity',
          detail: 'score 87',
          durationMinutes: 15,
          links: { issueId },
        },
      ];
    });
    restore = () => vi.mocked(topIssues).mockImplementation(real.topIssues);
    const backlog = await team.rep.call('getAgendaBacklog', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      query: { limit: 5 },
    });
    expect(asked).toEqual([[team.workspaceId, team.cycleId, 5]]);
    const proposal = present(backlog.body.topIssues[0]);
    expect(proposal).toMatchObject({ title: 'Lead times promised beyond capacity' });

    const added = await addItem(team, meeting.id, {
      title: proposal.title,
      durationMinutes: proposal.durationMinutes,
      links: proposal.links,
      source: proposal.source,
    });
    expect((await full(team, meeting.id)).agenda).toEqual([
      expect.objectContaining({ id: added.id, links: { issueId }, source: { kind: 'issue', issueId } }),
    ]);
    expect(
      (
        await team.rep.call('getAgendaBacklog', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.id },
          query: { limit: 5 },
        })
      ).body.topIssues,
    ).toEqual([]);
  });
});
