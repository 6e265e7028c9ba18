import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#contract/index';
import { type ApiResponse, signInAs, startApi, type TestApi } from '#test/support/api';
import { present, type RawCallInput } from '#test/support/client';
import {
  addItem,
  createMeeting,
  full,
  markPresent,
  meetingBody,
  meetingTeam,
  moveTo,
  runningMeeting,
} from '#test/support/meetings';
import { dynamo, tableName, workspacePk } from '#test/support/table';

/** A day `days` from today (UTC): new actions may not be due in the past. */
const laterDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('preparing and running a meeting', () => {
  it('creates a draft in a cycle, builds the agenda with sections, and flags an agenda longer than the meeting', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team, { durationMinutes: 30, invited: [team.sales.email, team.ops.email] });
    expect(meeting).toMatchObject({
      state: 'draft',
      cycleId: team.cycleId,
      revision: 1,
      invited: [team.sales.email, team.ops.email],
    });

    const section = await addItem(team, meeting.id, { kind: 'section', title: 'Thresholds', durationMinutes: 10 });
    const first = await addItem(team, meeting.id, { title: 'CP-050 lead time', durationMinutes: 20, presenter: team.ops.email });
    const intro = await addItem(team, meeting.id, { title: 'Welcome', durationMinutes: 15, beforeId: section.id });
    const read = await full(team, meeting.id, team.rep);
    expect(read.agenda.map((entry: { id: string }) => entry.id)).toEqual([intro.id, section.id, first.id]);
    expect(read.agenda[1]).toMatchObject({ kind: 'section', durationMinutes: 0 });
    expect(read.meeting.agendaVersion).toBe(4);

    const listed = await team.rep.call('listMeetings', {
      params: { workspaceId: team.workspaceId },
      query: { cycleId: team.cycleId },
    });
    expect(listed.body.items.map((m: { id: string }) => m.id)).toEqual([meeting.id]);
    const otherCycle = await team.rep.call('listMeetings', {
      params: { workspaceId: team.workspaceId },
      query: { cycleId: randomUUID() },
    });
    expect(otherCycle.body.items).toEqual([]);
  });

  it('runs draft → open → in progress → closed, with closed read-only and reopening an audited admin action', async () => {
    const team = await meetingTeam(api);
    const { meetingId, itemId } = await runningMeeting(team);
    const info = await team.sales.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'information',
        agendaItemId: itemId,
        text: 'Backlog is 9 weeks',
      },
    });
    expect(info.status).toBe(201);
    const closed = await moveTo(team, meetingId, 'closed');
    expect(closed).toMatchObject({ state: 'closed', closedAt: expect.any(String) });

    const before = (await full(team, meetingId)).meeting.revision;
    const refusals = [
      await team.admin.call('addAgendaEntry', {
        params: { workspaceId: team.workspaceId, meetingId },
        body: { title: 'Late item' },
      }),
      await team.admin.call('updateMeeting', {
        params: { workspaceId: team.workspaceId, meetingId },
        body: { title: 'Renamed', expectedVersion: closed.version },
      }),
      await team.admin.call('markAttendance', {
        params: { workspaceId: team.workspaceId, meetingId, email: team.rep.email },
        body: {
          present: true,
        },
      }),
      await team.admin.call('recordOutcome', {
        params: { workspaceId: team.workspaceId, meetingId },
        body: { kind: 'information', agendaItemId: itemId, text: 'Too late' },
      }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(409);
      expect(refusal.body.message).toMatch(/closed/);
    }
    expect((await full(team, meetingId)).meeting.revision).toBe(before);

    const byManager = await team.sales.call('changeMeetingState', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        to: 'inProgress',
        expectedVersion: closed.version,
      },
    });
    expect(byManager.status).toBe(403);
    expect(byManager.body.message).toBe('Only an admin can reopen a closed meeting');
    const reopened = await team.admin.call('changeMeetingState', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        to: 'inProgress',
        expectedVersion: closed.version,
      },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body.state).toBe('inProgress');
    const audit = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `${workspacePk(team.workspaceId)}#AUDIT`, ':audit': 'AUDIT#' },
      }),
    );
    const reopening = (audit.Items ?? []).filter((event) => event.action === 'meeting.reopened');
    expect(reopening).toEqual([
      expect.objectContaining({
        actorEmail: team.admin.email,
        entityId: meetingId,
        before: expect.objectContaining({ state: 'closed' }),
      }),
    ]);
  });

  it('changes a meeting’s details conditional on its version: a stale change gets 409 with the current meeting', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    const moved = await team.sales.call('updateMeeting', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: {
        startsAt: '2027-01-13T10:30:00+01:00',
        invited: [team.ops.email],
        expectedVersion: 1,
      },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      startsAt: '2027-01-13T09:30:00.000Z',
      invited: [team.ops.email],
      version: 2,
      revision: 2,
    });
    const stale = await team.ops.call('updateMeeting', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: { title: 'Budget day', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ version: 2, title: 'FY2027 budget planning' });
    const listed = (
      await team.rep.call('listMeetings', { params: { workspaceId: team.workspaceId }, query: { cycleId: team.cycleId } })
    ).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: meeting.id, startsAt: '2027-01-13T09:30:00.000Z' })]);
  });

  it('refuses outcomes outside "in progress" and writes nothing', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    const item = await addItem(team, meeting.id);
    for (const state of ['draft', 'open']) {
      if (state === 'open') await moveTo(team, meeting.id, 'open');
      const response = await team.admin.call('recordOutcome', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id },
        body: {
          kind: 'information',
          agendaItemId: item.id,
          text: 'Early',
        },
      });
      expect(response.status).toBe(409);
      expect(response.body.message).toBe(`Outcomes can be recorded only while the meeting is in progress; it is ${state}`);
    }
    expect((await full(team, meeting.id)).outcomes).toEqual([]);
  });

  it('shows who is present with their function, and bumps the revision the live poll watches', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    const first = await team.rep.call('pollMeeting', { params: { workspaceId: team.workspaceId, meetingId: meeting.id } });
    expect(first.body).toEqual({ revision: 1, state: 'draft', changed: true });
    expect(
      (
        await team.rep.call('pollMeeting', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.id },
          query: { since: 1 },
        })
      ).body.changed,
    ).toBe(false);

    await markPresent(team, meeting.id, team.rep);
    await markPresent(team, meeting.id, team.ops, team.sales);
    const polled = await team.rep.call('pollMeeting', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      query: { since: 1 },
    });
    expect(polled.body).toEqual({ revision: 3, state: 'draft', changed: true });

    const { attendees } = await full(team, meeting.id);
    expect(
      attendees
        .map((a: { email: string; function: string; role: string; present: boolean }) => [a.email, a.function, a.role, a.present])
        .sort(),
    ).toEqual(
      [
        [team.ops.email, 'operations', 'manager', true],
        [team.rep.email, 'sales', 'rep', true],
      ].sort(),
    );

    const repMarksOther = await team.rep.call('markAttendance', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id, email: team.sales.email },
      body: {
        present: true,
      },
    });
    expect(repMarksOther.status).toBe(403);
    const staleUnmark = await team.rep.call('markAttendance', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id, email: team.rep.email },
      body: {
        present: false,
      },
    });
    expect(staleUnmark.status).toBe(409);
    expect(staleUnmark.body.details.current).toMatchObject({ present: true, version: 1 });
    const unmark = await team.rep.call('markAttendance', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id, email: team.rep.email },
      body: {
        present: false,
        expectedVersion: 1,
      },
    });
    expect(unmark.status).toBe(200);
    expect(unmark.body).toMatchObject({ present: false, version: 2 });
  });
});

describe('decisions and the quorum', () => {
  it('refuses a threshold decision until a sales and an operations manager are present, saying why', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    // A link names a threshold of the workspace: its portfolio item must exist there.
    const pump = await team.admin.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: {
        code: `Q-${randomUUID().slice(0, 6)}`,
        name: 'Quorum pump',
        kind: 'product',
        unit: 'unit',
      },
    });
    expect(pump.status).toBe(201);
    const item = await addItem(team, meeting.id, { links: { thresholdId: pump.body.id, thresholdVersion: 2 } });
    await moveTo(team, meeting.id, 'open');
    await moveTo(team, meeting.id, 'inProgress');
    await markPresent(team, meeting.id, team.sales);
    await markPresent(team, meeting.id, team.rep);

    const decide = () =>
      team.sales.call('recordOutcome', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id },
        body: {
          kind: 'decision',
          agendaItemId: item.id,
          text: 'Lead time stays 6 weeks',
        },
      });
    const refused = await decide();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      'A decision on a threshold needs a sales manager and an operations manager present; no operations manager is marked present',
    );
    expect((await full(team, meeting.id)).outcomes).toEqual([]);

    await markPresent(team, meeting.id, team.ops);
    const agreed = await decide();
    expect(agreed.status).toBe(201);
    expect(agreed.body).toMatchObject({
      kind: 'decision',
      links: { thresholdVersion: 2 },
      quorum: [team.sales.email, team.ops.email],
    });

    const plain = await team.sales.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: {
        kind: 'decision',
        agendaItemId: (await addItem(team, meeting.id, { title: 'Training' })).id,
        text: 'Train the reps',
      },
    });
    expect(plain.status).toBe(201);
  });
});

describe('action items', () => {
  it('appear on their owner’s list, and only the owner or a manager changes their status', async () => {
    const team = await meetingTeam(api);
    const { meetingId, itemId } = await runningMeeting(team);
    const action = await team.sales.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'action',
        agendaItemId: itemId,
        text: 'Brief the reps on the new lead time',
        owner: team.rep.email,
        dueDate: laterDay(60),
      },
    });
    expect(action.status).toBe(201);
    expect(action.body).toMatchObject({ owner: team.rep.email, ownerName: 'Rita Rep', status: 'open', heldIn: meetingId });

    const mine = await team.rep.call('listMyActions', { params: { workspaceId: team.workspaceId } });
    expect(mine.body.actions).toEqual([expect.objectContaining({ id: action.body.id, meetingTitle: 'FY2027 budget planning' })]);
    expect((await team.sales.call('listMyActions', { params: { workspaceId: team.workspaceId } })).body.actions).toEqual([]);
    const otherRep = await team.admin.call('inviteMember', {
      params: { workspaceId: team.workspaceId },
      body: {
        email: `other.${randomUUID().slice(0, 6)}@test.example`,
        function: 'sales',
        role: 'rep',
      },
    });
    expect(otherRep.status).toBe(201);
    const notOwner = await (await signInAs(api, otherRep.body.email)).call('updateAction', {
      params: { workspaceId: team.workspaceId, meetingId, actionId: action.body.id },
      body: {
        status: 'dropped',
        expectedVersion: 1,
      },
    });
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.message).toBe('Only the owner of the action or a manager can change its status');
    const done = await team.rep.call('updateAction', {
      params: { workspaceId: team.workspaceId, meetingId, actionId: action.body.id },
      body: { status: 'done', expectedVersion: 1 },
    });
    expect(done.status).toBe(200);
    expect((await team.rep.call('listMyActions', { params: { workspaceId: team.workspaceId } })).body.actions).toEqual([]);
    const stale = await team.sales.call('updateAction', {
      params: { workspaceId: team.workspaceId, meetingId, actionId: action.body.id },
      body: { status: 'open', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ status: 'done', version: 2 });
  });

  it('carries unfinished actions forward to the next meeting of the cycle exactly once', async () => {
    const team = await meetingTeam(api);
    const { meetingId: january, itemId } = await runningMeeting(team, { startsAt: '2027-01-12T09:00:00Z' });
    const record = (text: string) =>
      team.sales.call('recordOutcome', {
        params: { workspaceId: team.workspaceId, meetingId: january },
        body: {
          kind: 'action',
          agendaItemId: itemId,
          text,
          owner: team.ops.email,
          dueDate: laterDay(61),
        },
      });
    const open = (await record('Measure setup times')).body;
    const finished = (await record('Send capacity plan')).body;
    await team.ops.call('updateAction', {
      params: { workspaceId: team.workspaceId, meetingId: january, actionId: finished.id },
      body: { status: 'done', expectedVersion: 1 },
    });
    await moveTo(team, january, 'closed');

    const february = await createMeeting(team, {
      title: 'February review',
      meetingType: 'monthlyReview',
      startsAt: '2027-02-09T09:00:00Z',
    });
    const march = await createMeeting(team, {
      title: 'March review',
      meetingType: 'monthlyReview',
      startsAt: '2027-03-09T09:00:00Z',
    });
    const otherCycle = await team.admin.call('createCycle', {
      params: { workspaceId: team.workspaceId },
      body: {
        name: 'FY2028 budget',
        startDate: '2028-01-01',
        endDate: '2028-12-31',
      },
    });
    const elsewhere = await team.admin.call('createMeeting', {
      params: { workspaceId: team.workspaceId },
      body: meetingBody(otherCycle.body.id, { startsAt: '2027-02-10T09:00:00Z' }),
    });

    const backlog = await team.admin.call('getAgendaBacklog', {
      params: { workspaceId: team.workspaceId, meetingId: february.id },
    });
    expect(backlog.status).toBe(200);
    expect(backlog.body).toEqual({
      topIssues: [],
      pendingSignOffs: [],
      openActions: [
        expect.objectContaining({
          title: 'Follow-up: Measure setup times',
          source: { kind: 'action', meetingId: january, actionId: open.id },
        }),
      ],
    });

    await moveTo(team, february.id, 'open');
    const feb = await full(team, february.id);
    expect(feb.agenda.map((entry: { title: string }) => entry.title)).toEqual([
      'Carried-forward actions',
      'Follow-up: Measure setup times',
    ]);
    expect(feb.agenda[1]?.source).toEqual({ kind: 'action', meetingId: january, actionId: open.id });
    expect(
      (await team.admin.call('getAgendaBacklog', { params: { workspaceId: team.workspaceId, meetingId: february.id } })).body
        .openActions,
    ).toEqual([]);

    // The March meeting and another cycle's meeting do not take it again while February follows it up.
    await moveTo(team, march.id, 'open');
    expect((await full(team, march.id)).agenda).toEqual([]);
    await moveTo(team, elsewhere.body.id, 'open');
    expect((await full(team, elsewhere.body.id)).agenda).toEqual([]);
    const carried = (await full(team, january)).outcomes.find((o: { id: string }) => o.id === open.id);
    expect(carried).toMatchObject({ heldIn: february.id, carriedTo: [february.id] });

    // Adding it by hand to March is refused too: it is already followed up.
    const twice = await team.admin.call('addAgendaEntry', {
      params: { workspaceId: team.workspaceId, meetingId: march.id },
      body: {
        title: 'Follow-up again',
        source: { kind: 'action', meetingId: january, actionId: open.id },
      },
    });
    expect(twice.status).toBe(409);

    // Still unfinished when February closes: it moves on to the next meeting that takes it, once.
    await moveTo(team, february.id, 'inProgress');
    await moveTo(team, february.id, 'closed');
    const proposal = (
      await team.admin.call('getAgendaBacklog', { params: { workspaceId: team.workspaceId, meetingId: march.id } })
    ).body.openActions;
    expect(proposal).toHaveLength(1);
    const [first, second] = await Promise.all([
      team.admin.call('addAgendaEntry', {
        params: { workspaceId: team.workspaceId, meetingId: march.id },
        body: { title: present(proposal[0]).title, source: present(proposal[0]).source },
      }),
      team.sales.call('addAgendaEntry', {
        params: { workspaceId: team.workspaceId, meetingId: march.id },
        body: { title: present(proposal[0]).title, source: present(proposal[0]).source },
      }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect(
      (await full(team, march.id)).agenda.filter((e: { source: { kind: string } }) => e.source.kind === 'action'),
    ).toHaveLength(1);
    const final = (await full(team, january)).outcomes.find((o: { id: string }) => o.id === open.id);
    expect(final).toMatchObject({ heldIn: march.id, carriedTo: [february.id, march.id] });

    // Taking the follow-up off March's agenda hands the action back to February, so it is proposed again.
    const followUp = present((await full(team, march.id)).agenda.find((e) => e.source?.kind === 'action'));
    const removed = await team.admin.call('removeAgendaEntry', {
      params: { workspaceId: team.workspaceId, meetingId: march.id, entryId: followUp.id },
      query: { expectedVersion: followUp.version },
    });
    expect(removed.status).toBe(200);
    expect((await full(team, january)).outcomes.find((o: { id: string }) => o.id === open.id)).toMatchObject({
      heldIn: february.id,
      carriedTo: [february.id],
    });
    expect(
      (await team.admin.call('getAgendaBacklog', { params: { workspaceId: team.workspaceId, meetingId: march.id } })).body
        .openActions,
    ).toHaveLength(1);
  });
});

describe('carry-forward under concurrency', () => {
  it('gives an open action to exactly one of two meetings opening at the same moment', async () => {
    const team = await meetingTeam(api);
    const { meetingId: january, itemId } = await runningMeeting(team, { startsAt: '2027-01-12T09:00:00Z' });
    const action = (
      await team.sales.call('recordOutcome', {
        params: { workspaceId: team.workspaceId, meetingId: january },
        body: {
          kind: 'action',
          agendaItemId: itemId,
          text: 'Review the flex band of CP-080',
          owner: team.sales.email,
          dueDate: laterDay(61),
        },
      })
    ).body;
    await moveTo(team, january, 'closed');
    const first = await createMeeting(team, {
      title: 'Escalation A',
      meetingType: 'escalation',
      startsAt: '2027-02-02T09:00:00Z',
    });
    const second = await createMeeting(team, {
      title: 'Escalation B',
      meetingType: 'escalation',
      startsAt: '2027-02-02T09:00:00Z',
    });

    const opened = await Promise.all(
      [first, second].map((meeting) =>
        team.admin.call('changeMeetingState', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.id },
          body: { to: 'open', expectedVersion: 1 },
        }),
      ),
    );
    expect(opened.map((response) => response.status)).toEqual([200, 200]);
    const followUps = await Promise.all(
      [first, second].map(async (meeting) =>
        (await full(team, meeting.id)).agenda.filter((entry: { source: { kind: string } }) => entry.source.kind === 'action'),
      ),
    );
    expect(followUps.flat()).toHaveLength(1);
    const holder = followUps[0]?.length === 1 ? first.id : second.id;
    expect((await full(team, january)).outcomes.find((o: { id: string }) => o.id === action.id)).toMatchObject({
      heldIn: holder,
      carriedTo: [holder],
    });
  });
});

describe('concurrent agenda edits', () => {
  it('resolves two edits of one entry without loss: the second gets 409 with the current entry and retries', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    const entry = await addItem(team, meeting.id);
    const [a, b] = await Promise.all([
      team.sales.call('updateAgendaEntry', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id, entryId: entry.id },
        body: { notes: 'Bring the Q4 numbers', expectedVersion: 1 },
      }),
      team.ops.call('updateAgendaEntry', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.id, entryId: entry.id },
        body: { durationMinutes: 35, expectedVersion: 1 },
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost =
      a.status === 409
        ? { who: team.sales, response: a, patch: { notes: 'Bring the Q4 numbers' } }
        : { who: team.ops, response: b, patch: { durationMinutes: 35 } };
    expect(lost.response.body.details.current.version).toBe(2);
    const retried = await lost.who.call('updateAgendaEntry', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id, entryId: entry.id },
      body: { ...lost.patch, expectedVersion: lost.response.body.details.current.version },
    });
    expect(retried.status).toBe(200);
    const [stored] = (await full(team, meeting.id)).agenda;
    expect(stored).toMatchObject({ notes: 'Bring the Q4 numbers', durationMinutes: 35, version: 3 });
  });

  it('resolves two reorders from the same agenda version: the second is refused with the current order and reapplied', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    const [x, y, z] = [
      await addItem(team, meeting.id, { title: 'x' }),
      await addItem(team, meeting.id, { title: 'y' }),
      await addItem(team, meeting.id, { title: 'z' }),
    ];
    const { meeting: seen } = await full(team, meeting.id);
    const moveZFirst = [z.id, x.id, y.id];
    const moveXLast = [y.id, z.id, x.id];
    const first = await team.sales.call('reorderAgenda', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: { order: moveZFirst, expectedAgendaVersion: seen.agendaVersion },
    });
    expect(first.status).toBe(200);
    const second = await team.ops.call('reorderAgenda', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: { order: moveXLast, expectedAgendaVersion: seen.agendaVersion },
    });
    expect(second.status).toBe(409);
    const current = second.body.details.current;
    expect(current.agendaOrder).toEqual(moveZFirst);
    const reapplied = [...current.agendaOrder.filter((id: string) => id !== x.id), x.id];
    const retried = await team.ops.call('reorderAgenda', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: { order: reapplied, expectedAgendaVersion: current.agendaVersion },
    });
    expect(retried.status).toBe(200);
    expect((await full(team, meeting.id)).agenda.map((e: { id: string }) => e.id)).toEqual([z.id, y.id, x.id]);
  });

  it('keeps every entry when several people add at once', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    const added = await Promise.all(
      [team.admin, team.sales, team.ops, team.admin].map((who, index) =>
        who.call('addAgendaEntry', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.id },
          body: { title: `Topic ${index}`, durationMinutes: 5 },
        }),
      ),
    );
    expect(added.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect((await full(team, meeting.id)).agenda).toHaveLength(4);
  });
});

describe('minutes', () => {
  it('exports attendees by function, decisions and actions as Markdown', async () => {
    const team = await meetingTeam(api);
    const { meetingId, itemId } = await runningMeeting(team);
    await team.sales.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'decision',
        agendaItemId: itemId,
        text: 'Quote 6 weeks for CP-050',
      },
    });
    await team.sales.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'action',
        agendaItemId: itemId,
        text: 'Update the price list',
        owner: team.sales.email,
        dueDate: laterDay(50),
      },
    });
    const response = await team.rep.call('exportMinutes', { params: { workspaceId: team.workspaceId, meetingId } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(response.body).toContain('# Minutes: FY2027 budget planning');
    expect(response.body).toContain('- **sales**: Sam Sales (manager)');
    expect(response.body).toContain('- **operations**: Olga Ops (manager)');
    expect(response.body).toContain('- Quote 6 weeks for CP-050');
    expect(response.body).toContain(`| Update the price list | Sam Sales | ${laterDay(50)} | open |`);
  });
});

describe('access', () => {
  it('keeps a meeting invisible and untouchable from another workspace', async () => {
    const team = await meetingTeam(api, 'Insider Pumps');
    const { meetingId, itemId } = await runningMeeting(team);
    const outsider = await api.person('outsider');
    const ownWorkspace = (await outsider.call('createWorkspace', { body: { name: 'Outsider Ltd' } })).body.id;
    const meeting = { workspaceId: team.workspaceId, meetingId };
    const reads: Array<readonly [RouteName, () => Promise<ApiResponse<unknown>>]> = [
      ['getMeeting', () => outsider.call('getMeeting', { params: meeting })],
      ['pollMeeting', () => outsider.call('pollMeeting', { params: meeting })],
      ['getAgendaBacklog', () => outsider.call('getAgendaBacklog', { params: meeting })],
      ['exportMinutes', () => outsider.call('exportMinutes', { params: meeting })],
      ['listMeetings', () => outsider.call('listMeetings', { params: { workspaceId: team.workspaceId } })],
    ];
    for (const [path, read] of reads) {
      const response = await read();
      expect(response.status, path).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Insider');
    }
    const write = await outsider.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: { kind: 'information', agendaItemId: itemId, text: 'x' },
    });
    expect(write.status).toBe(404);
    // The meeting's id under the outsider's own workspace finds nothing either.
    const crossed = await outsider.call('getMeeting', { params: { workspaceId: ownWorkspace, meetingId } });
    expect(crossed.status).toBe(404);
    const crossedWrite = await outsider.call('recordOutcome', {
      params: { workspaceId: ownWorkspace, meetingId },
      body: {
        kind: 'information',
        agendaItemId: itemId,
        text: 'x',
      },
    });
    expect(crossedWrite.status).toBe(404);
    expect((await full(team, meetingId)).outcomes).toEqual([]);
  });

  it('lets reps follow meetings but not prepare or run them', async () => {
    const team = await meetingTeam(api);
    const meeting = await createMeeting(team);
    expect(
      (await team.rep.call('createMeeting', { params: { workspaceId: team.workspaceId }, body: meetingBody(team.cycleId) }))
        .status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('addAgendaEntry', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.id },
          body: { title: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('changeMeetingState', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.id },
          body: { to: 'open', expectedVersion: 1 },
        })
      ).status,
    ).toBe(403);
    expect((await team.rep.call('getMeeting', { params: { workspaceId: team.workspaceId, meetingId: meeting.id } })).status).toBe(
      200,
    );
  });
});

describe('bad input on meeting routes', () => {
  it('answers each new route’s bad input with a clear 400 and writes nothing', async () => {
    const team = await meetingTeam(api);
    const { meetingId, itemId } = await runningMeeting(team);
    const before = await full(team, meetingId);
    // Each case breaks the route's schema on purpose, so it is sent through callRaw.
    const cases: Array<[RouteName, RawCallInput, string]> = [
      [
        'createMeeting',
        { params: { workspaceId: team.workspaceId }, body: { ...meetingBody('not-a-cycle'), title: '' } },
        'body.cycleId',
      ],
      [
        'createMeeting',
        {
          params: { workspaceId: team.workspaceId },
          body: meetingBody(team.cycleId, { startsAt: 'tomorrow', durationMinutes: 2 }),
        },
        'body.startsAt',
      ],
      ['listMeetings', { params: { workspaceId: team.workspaceId }, query: { limit: 500 } }, 'query.limit'],
      ['getMeeting', { params: { workspaceId: team.workspaceId, meetingId: 'nope' } }, 'path.meetingId'],
      ['pollMeeting', { params: { workspaceId: team.workspaceId, meetingId }, query: { since: '-1' } }, 'query.since'],
      ['getAgendaBacklog', { params: { workspaceId: team.workspaceId, meetingId }, query: { limit: 0 } }, 'query.limit'],
      [
        'updateMeeting',
        { params: { workspaceId: team.workspaceId, meetingId }, body: { expectedVersion: before.meeting.version } },
        'body',
      ],
      [
        'changeMeetingState',
        { params: { workspaceId: team.workspaceId, meetingId }, body: { to: 'finished', expectedVersion: 1 } },
        'body.to',
      ],
      [
        'markAttendance',
        { params: { workspaceId: team.workspaceId, meetingId, email: 'not-an-email' }, body: { present: true } },
        'path.email',
      ],
      [
        'markAttendance',
        { params: { workspaceId: team.workspaceId, meetingId, email: team.rep.email }, body: { present: 'yes' } },
        'body.present',
      ],
      [
        'addAgendaEntry',
        { params: { workspaceId: team.workspaceId, meetingId }, body: { title: 'x'.repeat(201), durationMinutes: 5 } },
        'body.title',
      ],
      [
        'addAgendaEntry',
        { params: { workspaceId: team.workspaceId, meetingId }, body: { title: 'Sneaky', owner: 'me' } },
        'body.owner',
      ],
      [
        'updateAgendaEntry',
        {
          params: { workspaceId: team.workspaceId, meetingId, entryId: itemId },
          body: { durationMinutes: -5, expectedVersion: 1 },
        },
        'body.durationMinutes',
      ],
      ['removeAgendaEntry', { params: { workspaceId: team.workspaceId, meetingId, entryId: itemId } }, 'query.expectedVersion'],
      [
        'reorderAgenda',
        { params: { workspaceId: team.workspaceId, meetingId }, body: { order: ['a'], expectedAgendaVersion: 1 } },
        'body.order.0',
      ],
      [
        'recordOutcome',
        { params: { workspaceId: team.workspaceId, meetingId }, body: { kind: 'verdict', agendaItemId: itemId, text: 'x' } },
        'body.kind',
      ],
      [
        'recordOutcome',
        {
          params: { workspaceId: team.workspaceId, meetingId },
          body: { kind: 'action', agendaItemId: itemId, text: 'x', owner: team.rep.email, dueDate: '31/01/2027' },
        },
        'body.dueDate',
      ],
      [
        'recordOutcome',
        {
          params: { workspaceId: team.workspaceId, meetingId },
          body: {
            kind: 'decision',
            agendaItemId: itemId,
            text: 'x',
            effects: [{ kind: 'issueStatus', issueId: 'x', status: 'gone' }],
          },
        },
        'body.effects.0.issueId',
      ],
      [
        'updateAction',
        {
          params: { workspaceId: team.workspaceId, meetingId, actionId: randomUUID() },
          body: { status: 'finished', expectedVersion: 1 },
        },
        'body.status',
      ],
      ['listMyActions', { params: { workspaceId: 'not-a-workspace' } }, 'path.workspaceId'],
      ['exportMinutes', { params: { workspaceId: team.workspaceId, meetingId: 'not-a-meeting' } }, 'path.meetingId'],
    ];
    for (const [name, input, field] of cases) {
      const response = await team.admin.callRaw(name, input);
      const label = `${name} ${JSON.stringify(input.params)} ${JSON.stringify(input.query)}`;
      expect(response.status, label).toBe(400);
      expect(response.body.error, label).toBe('ValidationFailed');
      expect(
        (response.body.details as Array<{ field: string }>).map((d) => d.field),
        label,
      ).toContain(field);
    }
    const semantic = await team.admin.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'information',
        agendaItemId: randomUUID(),
        text: 'Nowhere',
      },
    });
    expect(semantic.status).toBe(400);
    expect(semantic.body.message).toMatch(/agendaItemId must be an item/);
    const ownerOutside = await team.admin.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: {
        kind: 'action',
        agendaItemId: itemId,
        text: 'x',
        owner: 'nobody@test.example',
        dueDate: laterDay(60),
      },
    });
    expect(ownerOutside.status).toBe(400);
    const after = await full(team, meetingId);
    expect(after.meeting.revision).toBe(before.meeting.revision);
    expect(after.outcomes).toEqual([]);
    expect(after.agenda).toEqual(before.agenda);
    expect((await team.admin.call('listMeetings', { params: { workspaceId: team.workspaceId } })).body.items).toHaveLength(1);
  });
});
