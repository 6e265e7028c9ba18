import { expect } from 'vitest';
import { createCycle, createItem } from '#scripts/fixtures/planning';
import { pumpTerms } from '#scripts/fixtures/terms';
import type { ApiResponse, Person } from './api';
import { type BodyOf, present } from './client';
import { type MeetingTeam, meetingBody } from './meetings';
import { partitionItems } from './snapshot';

/*
 * What the tests of the meeting routes' hints (the meeting's cycle, a proposal's item) build on.
 */

/** A day `days` from today (UTC): new actions may not be due in the past. */
export const laterDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
let codes = 0;
/** A new item code, unique in the run. */
export const nextCode = (prefix: string) => `${prefix}-${++codes}`;

/** The answer's body, or a failed test naming what came instead. */
export async function expectOk<T extends ApiResponse>(response: Promise<T>, status = 200): Promise<T['body']> {
  const answer = await response;
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return answer.body;
}

export async function createMeeting(team: MeetingTeam, cycleId: string, overrides: Partial<BodyOf<'createMeeting'>> = {}) {
  return expectOk(
    team.admin.call('createMeeting', { params: { workspaceId: team.workspaceId }, body: meetingBody(cycleId, overrides) }),
    201,
  );
}

export async function moveTo(team: MeetingTeam, meetingId: string, to: BodyOf<'changeMeetingState'>['to']) {
  const params = { workspaceId: team.workspaceId, meetingId };
  const { meeting } = await expectOk(team.admin.call('getMeeting', { params }));
  return expectOk(team.admin.call('changeMeetingState', { params, body: { to, expectedVersion: meeting.version } }));
}

/** A meeting of `cycleId` in progress with one agenda item, the sales and operations managers present. */
export async function runningMeeting(team: MeetingTeam, cycleId: string, startsAt: string) {
  const meeting = await createMeeting(team, cycleId, { startsAt });
  const params = { workspaceId: team.workspaceId, meetingId: meeting.id };
  const entry = await expectOk(
    team.admin.call('addAgendaEntry', { params, body: { title: 'Capacity', durationMinutes: 20 } }),
    201,
  );
  await moveTo(team, meeting.id, 'open');
  await moveTo(team, meeting.id, 'inProgress');
  for (const person of [team.sales, team.ops]) {
    await expectOk(team.admin.call('markAttendance', { params: { ...params, email: person.email }, body: { present: true } }));
  }
  return { meetingId: meeting.id, entryId: entry.id };
}

/** A closed January meeting of `cycleId` that left one action open: later meetings of the cycle carry it forward. */
export async function heldMeetingWithOpenAction(team: MeetingTeam, cycleId: string, text: string) {
  const { meetingId, entryId } = await runningMeeting(team, cycleId, '2027-01-05T09:00:00Z');
  const action = await expectOk(
    team.admin.call('recordOutcome', {
      params: { workspaceId: team.workspaceId, meetingId },
      body: { kind: 'action', agendaItemId: entryId, text, owner: team.sales.email, dueDate: laterDay(30) },
    }),
    201,
  );
  await moveTo(team, meetingId, 'closed');
  return { meetingId, actionId: action.id };
}

/** The stored outcome item of an action, straight from the table. */
export async function storedAction(team: MeetingTeam, meetingId: string, actionId: string) {
  const items = await partitionItems(team.workspaceId, undefined, undefined, `#MEETING#${meetingId}`);
  return present(items.find((item) => item.sk === `OUTCOME#${actionId}`));
}

/** A workspace of its own that `person` administers, with a cycle, an item and a pending threshold of it. */
export async function elsewhere(person: Person) {
  const workspaceId = (await expectOk(person.call('createWorkspace', { body: { name: 'Elsewhere Pumps' } }), 201)).id;
  const team = { admin: person, workspaceId };
  const cycle = await createCycle(team, 'FY2027 elsewhere');
  const item = await createItem(team, nextCode('ELS'));
  await expectOk(
    person.call('saveThreshold', {
      params: { workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    }),
  );
  const before = await partitionItems(workspaceId);
  return { workspaceId, cycleId: cycle.id as string, itemId: item.id as string, before };
}
