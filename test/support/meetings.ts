import { randomUUID } from 'node:crypto';
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
