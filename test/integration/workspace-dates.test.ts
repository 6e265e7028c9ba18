import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earliestOccurrenceDate, todayIn } from '#contract/dates';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { snapshot } from '#test/support/snapshot';
import { dynamo, tableName } from '#test/support/table';

/**
 * Dates that can't be true are refused, in the workspace's own calendar:
 * "today" is the day in the workspace's time zone, occurrences are not after
 * it nor before the floor, new actions are not due before it.
 */
let api: TestApi;
let admin: Person;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('dates-admin');
});
afterAll(async () => {
  await api.close();
});

async function workspaceIn(timeZone?: string) {
  const created = await admin.call('createWorkspace', {
    body: { name: `Dates ${timeZone ?? 'default'}`, ...(timeZone ? { timeZone } : {}) },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const issue = await admin.call('createMisalignmentIssue', {
    params: { workspaceId: id },
    body: { title: 'Late', category: 'lead time' },
  });
  expect(issue.status).toBe(201);
  return { id, timeZone: created.body.timeZone as string, issue: { workspaceId: id, issueId: issue.body.id } };
}

const occurrence = (occurredOn: string) => ({
  occurredOn,
  detectedAt: 'delivery' as const,
  cost: { other: 10 },
  currency: 'EUR',
});

describe('the workspace time zone', () => {
  it('is the creator’s zone when given, UTC when not, and refuses a name that is no time zone', async () => {
    expect((await workspaceIn('Europe/Oslo')).timeZone).toBe('Europe/Oslo');
    expect((await workspaceIn()).timeZone).toBe('UTC');
    const refused = await admin.call('createWorkspace', { body: { name: 'Nowhere', timeZone: 'Mars/Olympus' } });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'body.timeZone' })]);
  });

  it('is UTC for a workspace stored before workspaces had a time zone', async () => {
    const ws = await workspaceIn('Asia/Tokyo');
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `WS#${ws.id}`, sk: 'WORKSPACE' },
        UpdateExpression: 'REMOVE #timeZone',
        ExpressionAttributeNames: { '#timeZone': 'timeZone' },
      }),
    );
    expect((await admin.call('getWorkspace', { params: { workspaceId: ws.id } })).body.timeZone).toBe('UTC');
  });

  it('is changed by an admin only, conditional on the version', async () => {
    const ws = await workspaceIn('Europe/Oslo');
    const changed = await admin.call('updateWorkspace', {
      params: { workspaceId: ws.id },
      body: { timeZone: 'America/Chicago', expectedVersion: 1 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ timeZone: 'America/Chicago', version: 2 });
    expect((await admin.call('getWorkspace', { params: { workspaceId: ws.id } })).body.timeZone).toBe('America/Chicago');
    expect(
      (await admin.call('updateWorkspace', { params: { workspaceId: ws.id }, body: { timeZone: 'UTC', expectedVersion: 1 } }))
        .status,
    ).toBe(409);
    const rep = await api.person('dates-rep');
    await admin.call('inviteMember', {
      params: { workspaceId: ws.id },
      body: { email: rep.email, function: 'sales', role: 'rep' },
    });
    expect(
      (await rep.call('updateWorkspace', { params: { workspaceId: ws.id }, body: { timeZone: 'UTC', expectedVersion: 2 } }))
        .status,
    ).toBe(403);
  });
});

describe('dates that can’t be true are refused', () => {
  it('refuses an occurrence after today in the workspace’s zone, and accepts that day where it is already today', async () => {
    // Kiritimati (UTC+14) is always a calendar day or more ahead of Pago Pago (UTC−11).
    const ahead = await workspaceIn('Pacific/Kiritimati');
    const behind = await workspaceIn('Pacific/Pago_Pago');
    const kiritimatiToday = todayIn('Pacific/Kiritimati', new Date().toISOString());
    expect((await admin.call('logOccurrence', { params: ahead.issue, body: occurrence(kiritimatiToday) })).status).toBe(201);
    const before = await snapshot(behind.id);
    const refused = await admin.call('logOccurrence', { params: behind.issue, body: occurrence(kiritimatiToday) });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'body.occurredOn' })]);
    expect(await snapshot(behind.id)).toEqual(before);
  });

  it('refuses occurrences dated 2030-01-01 or 1900-01-01, on logging and on correcting, and accepts the floor', async () => {
    const ws = await workspaceIn();
    const before = await snapshot(ws.id);
    for (const day of ['2030-01-01', '1900-01-01', '1999-12-31']) {
      const refused = await admin.call('logOccurrence', { params: ws.issue, body: occurrence(day) });
      expect(refused.status, day).toBe(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'body.occurredOn' })]);
    }
    expect(await snapshot(ws.id)).toEqual(before);
    const logged = await admin.call('logOccurrence', { params: ws.issue, body: occurrence(earliestOccurrenceDate) });
    expect(logged.status).toBe(201);
    const corrected = await admin.call('correctOccurrence', {
      params: { workspaceId: ws.issue.workspaceId, issueId: ws.issue.issueId, occurrenceId: logged.body.id },
      body: {
        occurredOn: '2030-01-01',
        expectedVersion: 1,
      },
    });
    expect(corrected.status).toBe(400);
    expect(corrected.body.details).toEqual([expect.objectContaining({ field: 'body.occurredOn' })]);
  });

  it('refuses a new action due in the past, and accepts one due today', async () => {
    const ws = await workspaceIn('Europe/Oslo');
    const cycle = await admin.call('createCycle', {
      params: { workspaceId: ws.id },
      body: { name: 'FY', startDate: '2026-01-01', endDate: '2027-12-31' },
    });
    const meeting = await admin.call('createMeeting', {
      params: { workspaceId: ws.id },
      body: {
        cycleId: cycle.body.id,
        title: 'Planning',
        meetingType: 'budgetPlanning',
        startsAt: '2027-01-12T09:00:00Z',
        durationMinutes: 60,
      },
    });
    const entry = await admin.call('addAgendaEntry', {
      params: { workspaceId: ws.id, meetingId: meeting.body.id },
      body: { title: 'Lead times' },
    });
    let version = meeting.body.version as number;
    for (const to of ['open', 'inProgress'] as const)
      version = (
        await admin.call('changeMeetingState', {
          params: { workspaceId: ws.id, meetingId: meeting.body.id },
          body: { to, expectedVersion: version },
        })
      ).body.version;
    const action = (dueDate: string) => ({
      kind: 'action' as const,
      agendaItemId: entry.body.id,
      text: 'Call',
      owner: admin.email,
      dueDate,
    });
    const refused = await admin.call('recordOutcome', {
      params: { workspaceId: ws.id, meetingId: meeting.body.id },
      body: action('2020-01-01'),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'body.dueDate' })]);
    expect(
      (await admin.call('getMeeting', { params: { workspaceId: ws.id, meetingId: meeting.body.id } })).body.outcomes,
    ).toEqual([]);
    const today = todayIn('Europe/Oslo', new Date().toISOString());
    expect(
      (await admin.call('recordOutcome', { params: { workspaceId: ws.id, meetingId: meeting.body.id }, body: action(today) }))
        .status,
    ).toBe(201);
  });

  it('answers 404 not found for another workspace’s issue, never a domain message', async () => {
    const mine = await workspaceIn();
    const theirs = await workspaceIn();
    const theirIssue = theirs.issue.issueId;
    const answer = await admin.call('logOccurrence', {
      params: { workspaceId: mine.id, issueId: theirIssue },
      body: occurrence(todayIn('UTC', new Date().toISOString())),
    });
    expect(answer.status).toBe(404);
    expect(answer.body.message).toMatch(/not found/i);
  });
});
