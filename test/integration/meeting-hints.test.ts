import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCycle, createItem } from '#scripts/fixtures/planning';
import { pumpTerms } from '#scripts/fixtures/terms';
import { startApi, type TestApi, tripsOf } from '#test/support/api';
import { present } from '#test/support/client';
import {
  createMeeting,
  elsewhere,
  expectOk,
  heldMeetingWithOpenAction,
  nextCode,
  storedAction,
} from '#test/support/meeting-hints';
import { meetingTeam } from '#test/support/meetings';
import { partitionItems } from '#test/support/snapshot';

/**
 * The meeting routes whose reads are keyed by the meeting's cycle (and a
 * decision's item) take those ids from the caller as hints: named right, the
 * dependent reads go out beside the meeting, one round trip sooner; named
 * wrong or not at all, the answer is the same, only later. Nothing read under
 * a wrong hint reaches the answer or the records.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('getAgendaBacklog with the meeting’s cycle', () => {
  it('reads the cycle’s proposals beside the meeting, and answers the same to a wrong hint or none', async () => {
    const team = await meetingTeam(api, 'Backlog Hints');
    const other = await createCycle(team, 'FY2028 budget');
    // A threshold waiting for sign-off in each cycle: a wrong hint would show the other cycle's.
    for (const cycleId of [team.cycleId, other.id]) {
      const item = await createItem(team, nextCode('BKL'));
      await expectOk(
        team.sales.call('saveThreshold', {
          params: { workspaceId: team.workspaceId, cycleId, itemId: item.id },
          body: { terms: pumpTerms, expectedVersion: null },
        }),
      );
    }
    await heldMeetingWithOpenAction(team, other.id, 'Another cycle’s action');
    const away = await elsewhere(team.admin);
    const meeting = await createMeeting(team, team.cycleId, { startsAt: '2027-02-02T09:00:00Z' });
    const params = { workspaceId: team.workspaceId, meetingId: meeting.id };

    const unhinted = await team.admin.call('getAgendaBacklog', { params, query: {} });
    expect(unhinted.status).toBe(200);
    expect(tripsOf(unhinted)).toBe(2);
    expect(unhinted.body.pendingSignOffs).toHaveLength(1);
    expect(unhinted.body.openActions).toEqual([]);

    const hinted = await team.admin.call('getAgendaBacklog', { params, query: { cycleId: team.cycleId } });
    expect(hinted.status).toBe(200);
    expect(tripsOf(hinted)).toBe(1);
    expect(hinted.body).toEqual(unhinted.body);

    for (const cycleId of [other.id, away.cycleId, randomUUID()]) {
      const wrong = await team.admin.call('getAgendaBacklog', { params, query: { cycleId } });
      expect(wrong.status).toBe(200);
      expect(wrong.body, cycleId).toEqual(unhinted.body);
    }
    expect(await partitionItems(away.workspaceId)).toEqual(away.before);
  });

  it('proposes the open actions of the cycle’s earlier meetings the same way, one round trip after their meetings', async () => {
    const team = await meetingTeam(api, 'Backlog Actions');
    const other = await createCycle(team, 'FY2028 budget');
    const ours = await heldMeetingWithOpenAction(team, team.cycleId, 'Measure setup times');
    await heldMeetingWithOpenAction(team, other.id, 'Another cycle’s action');
    const meeting = await createMeeting(team, team.cycleId, { startsAt: '2027-02-02T09:00:00Z' });
    const params = { workspaceId: team.workspaceId, meetingId: meeting.id };

    const unhinted = await team.admin.call('getAgendaBacklog', { params, query: {} });
    expect(unhinted.body.openActions).toEqual([
      expect.objectContaining({ source: { kind: 'action', meetingId: ours.meetingId, actionId: ours.actionId } }),
    ]);
    const hinted = await team.admin.call('getAgendaBacklog', { params, query: { cycleId: team.cycleId } });
    expect(hinted.body).toEqual(unhinted.body);
    // The held January meeting's open actions are one Query more, after the cycle's meetings (it may overlap the
    // ranking's reads still in flight, and then counts with them).
    expect(tripsOf(hinted)).toBeLessThanOrEqual(2);
    expect(tripsOf(unhinted)).toBeLessThanOrEqual(3);
    const wrong = await team.admin.call('getAgendaBacklog', { params, query: { cycleId: other.id } });
    expect(wrong.body).toEqual(unhinted.body);
  });

  it('refuses a hint that is not an id, naming it, and an unknown meeting alike with or without one', async () => {
    const team = await meetingTeam(api, 'Backlog Bad Hints');
    const meeting = await createMeeting(team, team.cycleId);
    const bad = await team.admin.callRaw('getAgendaBacklog', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      query: { cycleId: 'FY2027' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('cycleId');
    const missing = { workspaceId: team.workspaceId, meetingId: randomUUID() };
    const plain = await team.admin.call('getAgendaBacklog', { params: missing, query: {} });
    const hinted = await team.admin.call('getAgendaBacklog', { params: missing, query: { cycleId: team.cycleId } });
    expect(plain.status).toBe(404);
    expect(hinted.status).toBe(404);
    expect(hinted.body).toEqual(plain.body);
  });
});

describe('changeMeetingState with the meeting’s cycle', () => {
  it('opens a meeting in two round trips with its cycle named, three without, the same meeting either way', async () => {
    const team = await meetingTeam(api, 'Open Hints');
    const first = await createMeeting(team, team.cycleId, { startsAt: '2027-02-02T09:00:00Z' });
    const second = await createMeeting(team, team.cycleId, { startsAt: '2027-02-02T09:00:00Z' });
    const open = (meetingId: string, query: { cycleId?: string }) =>
      team.admin.call('changeMeetingState', {
        params: { workspaceId: team.workspaceId, meetingId },
        query,
        body: { to: 'open', expectedVersion: 1 },
      });
    const hinted = await open(first.id, { cycleId: team.cycleId });
    const unhinted = await open(second.id, {});
    expect(hinted.status).toBe(200);
    expect(unhinted.status).toBe(200);
    expect(tripsOf(hinted)).toBe(2);
    expect(tripsOf(unhinted)).toBe(3);
    const shape = (meeting: typeof hinted.body) => ({ ...meeting, id: '', createdAt: '', updatedAt: '' });
    expect(shape(hinted.body)).toEqual(shape(unhinted.body));
    expect(hinted.body).toMatchObject({ state: 'open', version: 2, agendaOrder: [] });
  });

  it('carries forward only its own cycle’s actions, whatever cycle the hint names', async () => {
    const team = await meetingTeam(api, 'Open Wrong Hints');
    const other = await createCycle(team, 'FY2028 budget');
    const ours = await heldMeetingWithOpenAction(team, team.cycleId, 'Measure setup times');
    const theirs = await heldMeetingWithOpenAction(team, other.id, 'Another cycle’s action');
    const theirsBefore = await storedAction(team, theirs.meetingId, theirs.actionId);
    const away = await elsewhere(team.admin);
    const hints: Array<string | undefined> = [team.cycleId, other.id, away.cycleId, randomUUID(), undefined];
    for (const cycleId of hints) {
      const target = await createMeeting(team, team.cycleId, { startsAt: '2027-02-02T09:00:00Z' });
      const params = { workspaceId: team.workspaceId, meetingId: target.id };
      const opened = await team.admin.call('changeMeetingState', {
        params,
        query: cycleId ? { cycleId } : {},
        body: { to: 'open', expectedVersion: 1 },
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(200);
      // The meeting with the cycle's meetings, January's open actions, the write and the agenda read back; a wrong
      // hint or none reads the cycle's meetings after the meeting (overlapping a wrong hint's read still in flight).
      if (cycleId === team.cycleId) expect(tripsOf(opened)).toBe(4);
      else expect(tripsOf(opened), String(cycleId)).toBeLessThanOrEqual(5);
      const { agenda } = await expectOk(team.admin.call('getMeeting', { params }));
      expect(agenda.map((entry) => entry.source)).toEqual([
        { kind: 'manual' },
        { kind: 'action', meetingId: ours.meetingId, actionId: ours.actionId },
      ]);
      expect(await storedAction(team, ours.meetingId, ours.actionId)).toMatchObject({ heldIn: target.id });
      expect(await storedAction(team, theirs.meetingId, theirs.actionId)).toEqual(theirsBefore);
      // Taking the follow-up off hands the action back to January for the next round.
      const followUp = present(agenda[1]);
      await expectOk(
        team.admin.call('removeAgendaEntry', {
          params: { ...params, entryId: followUp.id },
          query: { expectedVersion: followUp.version },
        }),
      );
      expect(await storedAction(team, ours.meetingId, ours.actionId)).toMatchObject({ heldIn: ours.meetingId });
    }
    expect(await partitionItems(away.workspaceId)).toEqual(away.before);
  });

  it('lets exactly one of two identical openings win, carrying each action once', async () => {
    const team = await meetingTeam(api, 'Open Race');
    const ours = await heldMeetingWithOpenAction(team, team.cycleId, 'Measure setup times');
    for (let trial = 0; trial < 5; trial++) {
      const target = await createMeeting(team, team.cycleId, { startsAt: '2027-02-02T09:00:00Z' });
      const params = { workspaceId: team.workspaceId, meetingId: target.id };
      const answers = await Promise.all(
        [0, 1].map(() =>
          team.admin.call('changeMeetingState', {
            params,
            query: { cycleId: team.cycleId },
            body: { to: 'open', expectedVersion: 1 },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const { meeting, agenda } = await expectOk(team.admin.call('getMeeting', { params }));
      expect(meeting).toMatchObject({ state: 'open', version: 2 });
      const followUps = agenda.filter((entry) => entry.source.kind === 'action');
      expect(followUps).toHaveLength(1);
      expect(agenda).toHaveLength(2);
      const action = await storedAction(team, ours.meetingId, ours.actionId);
      expect(action.heldIn).toBe(target.id);
      expect(action.carriedTo).toEqual([target.id]);
      const followUp = present(followUps[0]);
      await expectOk(
        team.admin.call('removeAgendaEntry', {
          params: { ...params, entryId: followUp.id },
          query: { expectedVersion: followUp.version },
        }),
      );
    }
  });

  it('refuses a hint that is not an id, naming it, and writes nothing', async () => {
    const team = await meetingTeam(api, 'Open Bad Hints');
    const meeting = await createMeeting(team, team.cycleId);
    const params = { workspaceId: team.workspaceId, meetingId: meeting.id };
    const before = await partitionItems(team.workspaceId, undefined, undefined, `#MEETING#${meeting.id}`);
    const bad = await team.admin.callRaw('changeMeetingState', {
      params,
      query: { cycleId: 'x'.repeat(40) },
      body: { to: 'open', expectedVersion: 1 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('cycleId');
    expect(await partitionItems(team.workspaceId, undefined, undefined, `#MEETING#${meeting.id}`)).toEqual(before);
  });
});
