import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
import type { BodyOf } from '#test/support/client';
import { meetingBody } from '#test/support/meetings';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';
import { withFailingWrite, writeLeadTimeOccurrence } from '#test/support/table';

/** How the areas work together: commitments and the issue log, meeting decisions, the agenda backlog, real cycles. */
let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Wired Pumps');
});
afterAll(async () => {
  await api.close();
});

async function ok(response: Promise<{ status: number; body: any }>, status = 200) {
  const result = await response;
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  return result.body;
}

/** A cycle with an item whose threshold v1 is saved (pending) in it. */
async function pendingThreshold(code: string) {
  const item = await createItem(team, code);
  const cycle = await createCycle(team, `${code} cycle`);
  const saved = await ok(
    team.sales.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    }),
  );
  return { item, cycle, version: saved.version as number };
}

/** A meeting of the cycle in progress with one agenda item and the sales and operations managers present. */
async function runningMeeting(cycleId: string, links: Record<string, unknown> = {}) {
  const meeting = await ok(
    team.admin.call('createMeeting', { params: { workspaceId: team.workspaceId }, body: meetingBody(cycleId) }),
    201,
  );
  const path = { workspaceId: team.workspaceId, meetingId: meeting.id };
  const item = await ok(
    team.admin.call('addAgendaEntry', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: { title: 'Decide', durationMinutes: 10, links },
    }),
    201,
  );
  for (const to of ['open', 'inProgress'] as const) {
    const current = (await team.admin.call('getMeeting', { params: { workspaceId: team.workspaceId, meetingId: meeting.id } }))
      .body.meeting;
    await ok(
      team.admin.call('changeMeetingState', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id },
        body: { to, expectedVersion: current.version },
      }),
    );
  }
  const present = async (person: Person, value = true) => {
    const attendee = (
      await team.admin.call('getMeeting', { params: { workspaceId: team.workspaceId, meetingId: meeting.id } })
    ).body.attendees.find((a: { email: string }) => a.email === person.email);
    await ok(
      team.admin.call('markAttendance', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id, email: person.email },
        body: {
          present: value,
          ...(attendee ? { expectedVersion: attendee.version } : {}),
        },
      }),
    );
  };
  await present(team.sales);
  await present(team.ops);
  return { meetingId: meeting.id as string, path, agendaItemId: item.id as string, present };
}

describe('commitments on a beyond answer log a lead-time occurrence', () => {
  it('creates the lead-time issue of the item and cycle, links occurrence and commitment both ways, then adds to it', async () => {
    const item = await createItem(team, 'BEY-1');
    const cycle = await createCycle(team, 'Beyond cycle');
    const version = await agree(team, cycle.id, item.id);
    const tooSoon = await ok(
      team.rep.call('promiseCheck', {
        params: { workspaceId: team.workspaceId, itemId: item.id },
        query: { quantity: 10, leadTimeDays: 4 },
      }),
    );
    expect(tooSoon.band).toBe('beyond');

    const first = await ok(
      team.rep.call('recordCommitment', {
        params: { workspaceId: team.workspaceId, itemId: item.id },
        body: { reference: 'Rush order 1', quantity: 10, deliveryDate: tooSoon.deliveryDate },
      }),
      201,
    );
    expect(first.commitment).toMatchObject({ answer: 'beyond', thresholdCycleId: cycle.id, thresholdVersion: version });
    const { leadTimeIssueId, occurrenceId } = first.commitment;
    expect(leadTimeIssueId).toEqual(expect.any(String));
    expect(occurrenceId).toEqual(expect.any(String));

    const issue = await ok(
      team.rep.call('getMisalignmentIssue', { params: { workspaceId: team.workspaceId, issueId: leadTimeIssueId } }),
    );
    expect(issue).toMatchObject({
      category: 'lead time',
      cycleId: cycle.id,
      itemIds: [item.id],
      title: 'Lead time promised beyond capacity: BEY-1',
      occurrenceCount: 1,
      // Estimated from the flex costs: no units above normal capacity, the setup cost of 400.
      totalCost: 400,
      currency: 'EUR',
    });
    const occurrences = await ok(
      team.rep.call('listOccurrences', { params: { workspaceId: team.workspaceId, issueId: leadTimeIssueId } }),
    );
    expect(occurrences.items).toEqual([
      expect.objectContaining({
        id: occurrenceId,
        commitmentId: first.commitment.id,
        reference: 'Rush order 1',
        detectedAt: 'quoting',
        cost: expect.objectContaining({ 'setup change': 400, 'extra resources': 0 }),
      }),
    ]);
    const listed = await ok(team.rep.call('listCommitments', { params: { workspaceId: team.workspaceId, itemId: item.id } }));
    expect(listed.items).toEqual([expect.objectContaining({ id: first.commitment.id, leadTimeIssueId, occurrenceId })]);

    const standard = await ok(
      team.rep.call('recordCommitment', {
        params: { workspaceId: team.workspaceId, itemId: item.id },
        body: {
          reference: 'Normal order',
          quantity: 5,
          deliveryDate: tooSoon.alternatives.earliestStandardDate,
        },
      }),
      201,
    );
    expect(standard.commitment).toMatchObject({ answer: 'standard', leadTimeIssueId: null, occurrenceId: null });

    const second = await ok(
      team.rep.call('recordCommitment', {
        params: { workspaceId: team.workspaceId, itemId: item.id },
        body: { reference: 'Rush order 2', quantity: 10, deliveryDate: tooSoon.deliveryDate },
      }),
      201,
    );
    expect(second.commitment.leadTimeIssueId).toBe(leadTimeIssueId);
    const after = await ok(
      team.rep.call('getMisalignmentIssue', { params: { workspaceId: team.workspaceId, issueId: leadTimeIssueId } }),
    );
    expect(after).toMatchObject({ occurrenceCount: 2, totalCost: 800, version: 1 });
  });

  it('writes neither the commitment nor the occurrence when the transaction fails', async () => {
    const item = await createItem(team, 'BEY-2');
    const cycle = await createCycle(team, 'Failing cycle');
    await agree(team, cycle.id, item.id);
    // The item's lead-time issue already counts in another currency: the occurrence's condition fails.
    const existing = await writeLeadTimeOccurrence({
      workspaceId: team.workspaceId,
      itemId: item.id,
      cycleId: cycle.id,
      commitment: { id: randomUUID(), currency: 'USD' },
      actor: { email: team.admin.email, name: 'admin' },
      now: new Date().toISOString(),
    });
    const tooSoon = await ok(
      team.rep.call('promiseCheck', {
        params: { workspaceId: team.workspaceId, itemId: item.id },
        query: { quantity: 10, leadTimeDays: 4 },
      }),
    );
    const refused = await team.rep.call('recordCommitment', {
      params: { workspaceId: team.workspaceId, itemId: item.id },
      body: {
        reference: 'Rush order',
        quantity: 10,
        deliveryDate: tooSoon.deliveryDate,
      },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/nothing was recorded/);
    expect(
      (await ok(team.rep.call('listCommitments', { params: { workspaceId: team.workspaceId, itemId: item.id } }))).items,
    ).toEqual([]);
    const issue = await ok(
      team.rep.call('getMisalignmentIssue', { params: { workspaceId: team.workspaceId, issueId: existing.issueId } }),
    );
    expect(issue).toMatchObject({ occurrenceCount: 1, currency: 'USD' });
    const again = await ok(
      team.rep.call('promiseCheck', {
        params: { workspaceId: team.workspaceId, itemId: item.id },
        query: { quantity: 10, leadTimeDays: 4 },
      }),
    );
    expect(again.window).toEqual(tooSoon.window);
  });
});

describe('meeting decisions with linked writes', () => {
  it('moves an issue’s status with a link back to the decision, atomically', async () => {
    const cycle = await createCycle(team, 'Decision cycle');
    const issue = await ok(
      team.sales.call('createMisalignmentIssue', {
        params: { workspaceId: team.workspaceId },
        body: { title: 'Quotes ignore setup', category: 'scope' },
      }),
      201,
    );
    const { meetingId, path, agendaItemId } = await runningMeeting(cycle.id, { issueId: issue.id });
    const decide = (status: NonNullable<BodyOf<'updateMisalignmentIssue'>['status']>) =>
      team.sales.call('recordOutcome', {
        params: path,
        body: {
          kind: 'decision',
          agendaItemId,
          text: `Move to ${status}`,
          effects: [{ kind: 'issueStatus', issueId: issue.id, status }],
        },
      });

    expect((await withFailingWrite(issue.id, () => decide('analysing'))).status).toBe(409);
    expect((await ok(team.sales.call('getMeeting', { params: path }))).outcomes).toEqual([]);
    expect(
      await ok(team.sales.call('getMisalignmentIssue', { params: { workspaceId: team.workspaceId, issueId: issue.id } })),
    ).toMatchObject({ status: 'open', version: 1 });

    const decided = await ok(decide('analysing'), 201);
    const moved = await ok(
      team.sales.call('getMisalignmentIssue', { params: { workspaceId: team.workspaceId, issueId: issue.id } }),
    );
    expect(moved).toMatchObject({
      status: 'analysing',
      version: 2,
      meetingIds: [meetingId],
      decisions: [expect.objectContaining({ meetingId, decisionId: decided.id, from: 'open', to: 'analysing' })],
    });

    // A transition the issue log does not allow is refused, and nothing is written.
    await ok(decide('resolved'), 201);
    const refused = await decide('action planned');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/cannot become action planned/);
    expect((await ok(team.sales.call('getMeeting', { params: path }))).outcomes).toHaveLength(2);
    expect(
      await ok(team.sales.call('getMisalignmentIssue', { params: { workspaceId: team.workspaceId, issueId: issue.id } })),
    ).toMatchObject({ status: 'resolved', version: 3 });

    // The minutes name the issue by its title.
    const minutes = await team.rep.call('exportMinutes', { params: path });
    expect(minutes.body).toContain('issue “Quotes ignore setup” set to analysing');
    expect(minutes.body).toContain('issue “Quotes ignore setup” set to resolved');
    expect(minutes.body).not.toContain(issue.id);
  });

  it('proposes a sign-off with the quorum, atomically, and agrees the version only when each named signer confirms it', async () => {
    const { item, cycle, version } = await pendingThreshold('SGN-1');
    const { meetingId, path, agendaItemId, present } = await runningMeeting(cycle.id, {
      thresholdId: item.id,
      thresholdVersion: version,
    });
    const body: BodyOf<'recordOutcome'> = {
      kind: 'decision',
      agendaItemId,
      text: 'Agree the threshold',
      effects: [
        {
          kind: 'thresholdSignOff',
          thresholdId: item.id,
          thresholdVersion: version,
          signers: [team.sales.email, team.ops.email],
        },
      ],
    };

    expect((await withFailingWrite(item.id, () => team.sales.call('recordOutcome', { params: path, body }))).status).toBe(409);
    expect((await ok(team.sales.call('getMeeting', { params: path }))).outcomes).toEqual([]);
    expect(
      (
        await ok(
          team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }),
        )
      ).threshold,
    ).toMatchObject({ signOffs: [], agreed: null });

    await present(team.ops, false);
    const noQuorum = await team.sales.call('recordOutcome', { params: path, body });
    expect(noQuorum.status).toBe(409);
    expect(noQuorum.body.message).toMatch(/no operations manager is marked present/);
    expect(
      (
        await ok(
          team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }),
        )
      ).threshold.signOffs,
    ).toEqual([]);
    await present(team.ops);

    // The decision proposes: nothing is signed until the signers confirm, each from their own session.
    const decided = await ok(team.sales.call('recordOutcome', { params: path, body }), 201);
    expect(
      (
        await ok(
          team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }),
        )
      ).threshold,
    ).toMatchObject({ signOffs: [], agreed: null });
    expect((await team.admin.call('confirmSignOff', { params: { ...path, outcomeId: decided.id } })).status).toBe(403);
    const bySales = await ok(team.sales.call('confirmSignOff', { params: { ...path, outcomeId: decided.id } }));
    expect(bySales.effects[0].confirmedBy).toEqual([
      expect.objectContaining({ email: team.sales.email, function: 'sales', role: 'manager' }),
    ]);
    expect((await team.sales.call('confirmSignOff', { params: { ...path, outcomeId: decided.id } })).status).toBe(409);
    expect(
      (
        await ok(
          team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }),
        )
      ).threshold.agreed,
    ).toBeNull();
    const pendingMinutes = await team.rep.call('exportMinutes', { params: path });
    expect(pendingMinutes.body).toContain(`awaiting confirmation by ${team.ops.email}`);
    await ok(team.ops.call('confirmSignOff', { params: { ...path, outcomeId: decided.id } }));

    const { threshold } = await ok(
      team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }),
    );
    expect(threshold.agreed).toMatchObject({ version });
    expect(threshold.signOffs).toEqual([
      expect.objectContaining({ email: team.sales.email, function: 'sales', via: { meetingId, decisionId: decided.id } }),
      expect.objectContaining({ email: team.ops.email, function: 'operations', via: { meetingId, decisionId: decided.id } }),
    ]);
    // Reps now see it on the catalogue, as with the sign-off route.
    expect(
      (await ok(team.rep.call('getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: item.id } }))).agreed,
    ).toMatchObject({ version });
    // The minutes name the threshold by its item's code.
    const minutes = await team.rep.call('exportMinutes', { params: path });
    expect(minutes.body).toContain(`threshold of SGN-1 v${version} signed off by ${team.sales.email}, ${team.ops.email}`);
    expect(minutes.body).not.toContain(item.id);

    // Proposing again is refused: the version is already agreed.
    const again = await team.sales.call('recordOutcome', { params: path, body });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already agreed/);
  });

  it('refuses to sign a superseded version, writing nothing', async () => {
    const { item, cycle, version } = await pendingThreshold('SGN-2');
    await ok(
      team.sales.call('saveThreshold', {
        params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
        body: { terms: { ...pumpTerms, capacityPerWeek: 120 }, expectedVersion: version },
      }),
    );
    const { path, agendaItemId } = await runningMeeting(cycle.id);
    const refused = await team.sales.call('recordOutcome', {
      params: path,
      body: {
        kind: 'decision',
        agendaItemId,
        text: 'Agree v1',
        effects: [
          {
            kind: 'thresholdSignOff',
            thresholdId: item.id,
            thresholdVersion: version,
            signers: [team.sales.email, team.ops.email],
          },
        ],
      },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/superseded/);
    expect((await ok(team.sales.call('getMeeting', { params: path }))).outcomes).toEqual([]);
    expect(
      (
        await ok(
          team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }),
        )
      ).threshold.signOffs,
    ).toEqual([]);
  });
});

describe('the agenda backlog', () => {
  it('proposes the cycle’s top-ranked issues and the thresholds waiting for sign-off', async () => {
    const { item, cycle, version } = await pendingThreshold('BKL-1');
    const costly = await ok(
      team.sales.call('createMisalignmentIssue', {
        params: { workspaceId: team.workspaceId },
        body: { title: 'Costly backlog issue', category: 'scope' },
      }),
      201,
    );
    const cheap = await ok(
      team.sales.call('createMisalignmentIssue', {
        params: { workspaceId: team.workspaceId },
        body: { title: 'Cheap backlog issue', category: 'other' },
      }),
      201,
    );
    const log = (issueId: string, amount: number) =>
      ok(
        team.rep.call('logOccurrence', {
          params: { workspaceId: team.workspaceId, issueId },
          body: {
            occurredOn: new Date().toISOString().slice(0, 10),
            detectedAt: 'delivery',
            currency: 'EUR',
            cost: { other: amount },
          },
        }),
        201,
      );
    await log(costly.id, 90_000);
    await log(cheap.id, 10);
    const meeting = await ok(
      team.admin.call('createMeeting', { params: { workspaceId: team.workspaceId }, body: meetingBody(cycle.id) }),
      201,
    );
    const backlog = await ok(
      team.admin.call('getAgendaBacklog', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id },
        query: { limit: 50 },
      }),
    );
    const ranking = await ok(team.admin.call('getRanking', { params: { workspaceId: team.workspaceId, cycleId: cycle.id } }));
    expect(backlog.topIssues.map((p: { source: { issueId: string } }) => p.source.issueId)).toEqual(
      ranking.entries.slice(0, 50).map((entry: { issueId: string }) => entry.issueId),
    );
    const ids = backlog.topIssues.map((p: { links: { issueId: string } }) => p.links.issueId);
    expect(ids.indexOf(costly.id)).toBeLessThan(ids.indexOf(cheap.id));
    expect(backlog.pendingSignOffs).toEqual([
      expect.objectContaining({
        source: { kind: 'signOff', thresholdId: item.id, thresholdVersion: version },
        links: { thresholdId: item.id, thresholdVersion: version },
        title: `Sign off BKL-1 threshold v${version}`,
      }),
    ]);

    // Moved into the agenda, a proposal leaves the backlog.
    await ok(
      team.admin.call('addAgendaEntry', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id },
        body: {
          title: backlog.pendingSignOffs[0].title,
          links: backlog.pendingSignOffs[0].links,
          source: backlog.pendingSignOffs[0].source,
        },
      }),
      201,
    );
    expect(
      (await ok(team.admin.call('getAgendaBacklog', { params: { workspaceId: team.workspaceId, meetingId: meeting.id } })))
        .pendingSignOffs,
    ).toEqual([]);
  });
});

describe('one notion of budget cycle', () => {
  it('refuses a meeting or a ranking freeze in a cycle the workspace does not have, writing nothing', async () => {
    const unknown = randomUUID();
    const meeting = await team.admin.call('createMeeting', {
      params: { workspaceId: team.workspaceId },
      body: meetingBody(unknown),
    });
    expect(meeting.status).toBe(400);
    expect(meeting.body.details).toEqual([expect.objectContaining({ field: 'body.cycleId' })]);
    expect(
      (await ok(team.admin.call('listMeetings', { params: { workspaceId: team.workspaceId }, query: { cycleId: unknown } })))
        .items,
    ).toEqual([]);

    const freeze = await team.sales.call('freezeRanking', {
      params: { workspaceId: team.workspaceId, cycleId: unknown },
      body: { note: 'typo' },
    });
    expect(freeze.status).toBe(404);
    expect(
      (await ok(team.sales.call('getRanking', { params: { workspaceId: team.workspaceId, cycleId: unknown } }))).frozen,
    ).toBeNull();
  });
});
