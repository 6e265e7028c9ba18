import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type Person, signInAs, type TestApi, uniqueEmail } from './api';
import type { BodyOf } from './client';

/** A workspace with the people a planning meeting needs: an admin, a sales and an operations manager, a sales rep. */
export interface MeetingTeam {
  workspaceId: string;
  cycleId: string;
  admin: Person;
  sales: Person;
  ops: Person;
  rep: Person;
}

export async function meetingTeam(api: TestApi, name = 'Meeting Pumps'): Promise<MeetingTeam> {
  const admin = await api.person('admin');
  const workspaceId = (await admin.call('createWorkspace', { body: { name } })).body.id as string;
  const invite = async (label: string, fn: BodyOf<'inviteMember'>['function'], role: BodyOf<'inviteMember'>['role']) => {
    const email = uniqueEmail(label.toLowerCase().replace(/\s+/g, '.'));
    const response = await admin.call('inviteMember', {
      params: { workspaceId },
      body: { email, name: label, function: fn, role },
    });
    if (response.status !== 201) throw new Error(`Invite failed: ${JSON.stringify(response.body)}`);
    return signInAs(api, email, label);
  };
  const cycle = await admin.call('createCycle', {
    params: { workspaceId },
    body: {
      name: `FY2027 budget ${randomUUID().slice(0, 4)}`,
      startDate: '2027-01-01',
      endDate: '2027-12-31',
    },
  });
  if (cycle.status !== 201) throw new Error(`Cycle failed: ${JSON.stringify(cycle.body)}`);
  return {
    workspaceId,
    cycleId: cycle.body.id as string,
    admin,
    sales: await invite('Sam Sales', 'sales', 'manager'),
    ops: await invite('Olga Ops', 'operations', 'manager'),
    rep: await invite('Rita Rep', 'sales', 'rep'),
  };
}

export const meetingBody = (cycleId: string, overrides: Partial<BodyOf<'createMeeting'>> = {}): BodyOf<'createMeeting'> => ({
  cycleId,
  title: 'FY2027 budget planning',
  meetingType: 'budgetPlanning',
  startsAt: '2027-01-12T09:00:00Z',
  durationMinutes: 90,
  location: 'Room Fjord',
  ...overrides,
});

export async function createMeeting(team: MeetingTeam, overrides: Record<string, unknown> = {}) {
  const response = await team.admin.call('createMeeting', {
    params: { workspaceId: team.workspaceId },
    body: meetingBody(team.cycleId, overrides),
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; version: number };
}

export async function full(team: MeetingTeam, meetingId: string, as: Person = team.admin) {
  const response = await as.call('getMeeting', { params: { workspaceId: team.workspaceId, meetingId } });
  expect(response.status).toBe(200);
  return response.body;
}

export async function moveTo(team: MeetingTeam, meetingId: string, to: BodyOf<'changeMeetingState'>['to']) {
  const { meeting } = await full(team, meetingId);
  const response = await team.admin.call('changeMeetingState', {
    params: { workspaceId: team.workspaceId, meetingId },
    body: { to, expectedVersion: meeting.version },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

export async function addItem(team: MeetingTeam, meetingId: string, body: Record<string, unknown> = {}) {
  const response = await team.admin.call('addAgendaEntry', {
    params: { workspaceId: team.workspaceId, meetingId },
    body: {
      title: 'Lead time of CP-050',
      durationMinutes: 20,
      ...body,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number };
}

export async function markPresent(team: MeetingTeam, meetingId: string, person: Person, by: Person = person) {
  const response = await by.call('markAttendance', {
    params: { workspaceId: team.workspaceId, meetingId, email: person.email },
    body: {
      present: true,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** A meeting in progress with one agenda item, the sales and operations managers present. */
export async function runningMeeting(team: MeetingTeam, overrides: Record<string, unknown> = {}) {
  const meeting = await createMeeting(team, overrides);
  const item = await addItem(team, meeting.id);
  await moveTo(team, meeting.id, 'open');
  await moveTo(team, meeting.id, 'inProgress');
  await markPresent(team, meeting.id, team.sales);
  await markPresent(team, meeting.id, team.ops);
  return { meetingId: meeting.id, itemId: item.id };
}
