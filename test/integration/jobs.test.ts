import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectOf } from '#scripts/local/local-auth';
import { startApi, type TestApi } from '#test/support/api';
import { present } from '#test/support/client';
import { runJobAt, runMarker, sendActionRemindersCapped } from '#test/support/jobs';
import { type MeetingTeam, meetingBody, meetingTeam } from '#test/support/meetings';
import { mailsIn } from '#test/support/outbox';
import { dynamo, reminderQueuePk, tableName, writeOutcomeAt } from '#test/support/table';

const outbox = mkdtempSync(join(tmpdir(), 'accord-jobs-outbox-'));
let api: TestApi;
beforeAll(async () => {
  process.env.MAIL_OUTBOX_DIR = outbox;
  api = await startApi({ outboxDir: outbox });
});
afterAll(async () => {
  delete process.env.MAIL_OUTBOX_DIR;
  await api.close();
});

/** A meeting in progress with one agenda item, to record actions in. */
async function runningMeeting(team: MeetingTeam) {
  const meeting = (
    await team.admin.call('createMeeting', { params: { workspaceId: team.workspaceId }, body: meetingBody(team.cycleId) })
  ).body;
  const item = await team.admin.call('addAgendaEntry', {
    params: { workspaceId: team.workspaceId, meetingId: meeting.id },
    body: { title: 'Lead time', durationMinutes: 20 },
  });
  expect(item.status).toBe(201);
  for (const to of ['open', 'inProgress'] as const) {
    const current = (await team.admin.call('getMeeting', { params: { workspaceId: team.workspaceId, meetingId: meeting.id } }))
      .body.meeting;
    const moved = await team.admin.call('changeMeetingState', {
      params: { workspaceId: team.workspaceId, meetingId: meeting.id },
      body: { to, expectedVersion: current.version },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
  return { meetingId: meeting.id, itemId: item.body.id as string };
}

/**
 * An action recorded back when its due date was still ahead: the API refuses a new action due in the past, and these
 * tests move the job's clock to days long gone, so the action goes through the store function the API calls.
 */
async function recordAction(team: MeetingTeam, meeting: { meetingId: string; itemId: string }, text: string, dueDate: string) {
  const actor = { sub: subjectOf(team.sales.email), email: team.sales.email, name: 'Sam Sales' };
  const outcome = await writeOutcomeAt(
    team.workspaceId,
    meeting.meetingId,
    { kind: 'action', agendaItemId: meeting.itemId, text, owner: team.rep.email, dueDate },
    actor,
    `${dueDate}T08:00:00.000Z`,
  );
  return outcome;
}

/** Reminders in the outbox about one action text. */
const remindersAbout = (text: string) => mailsIn(outbox).filter((message) => message.subject.endsWith(`: ${text}`));

const at = (day: string) => new Date(`${day}T07:00:00Z`);

const marker = (period: string) => runMarker('action-reminders', period);

// Each test works on days of its own, long past and each earlier than the test before's, so only its own actions are
// due then (open actions of earlier tests fall due later; other test files' actions fall due in 2026 or after).
describe('the action reminders job', () => {
  it('run twice for one period makes one reminder and one run marker', async () => {
    const team = await meetingTeam(api);
    const action = await recordAction(team, await runningMeeting(team), 'Order castings', '2005-03-02');

    const first = await runJobAt('action-reminders', at('2005-03-01'));
    expect(first, JSON.stringify(first)).toMatchObject({ ran: true, period: '2005-03-01', done: true, runs: 1 });
    const second = await runJobAt('action-reminders', new Date('2005-03-01T15:00:00Z'));
    expect(second).toEqual({ ran: false, period: '2005-03-01' });

    const sent = remindersAbout('Order castings');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: team.rep.email, subject: 'Due tomorrow: Order castings' });
    expect(sent[0]?.text).toContain('Hello Rita Rep,');
    expect(await marker('2005-03-01')).toMatchObject({ status: 'done', runs: 1, type: 'JobRun', expiresAt: expect.any(Number) });

    // The queue holds the action once, now for the next day.
    const { Items } = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': reminderQueuePk, ':day': '2005-03' },
      }),
    );
    expect((Items ?? []).filter((item) => item.actionId === action.id).map((item) => item.remindOn)).toEqual(['2005-03-02']);
  });

  it('reminds again in the next periods: due today, then overdue, once a day each', async () => {
    const team = await meetingTeam(api);
    await recordAction(team, await runningMeeting(team), 'Review the flex band', '2004-05-10');
    for (const day of ['2004-05-09', '2004-05-10', '2004-05-11', '2004-05-11']) await runJobAt('action-reminders', at(day));
    expect(
      remindersAbout('Review the flex band')
        .map((message) => message.subject)
        .sort(),
    ).toEqual([
      'Due today: Review the flex band',
      'Due tomorrow: Review the flex band',
      'Overdue since 2004-05-10: Review the flex band',
    ]);
  });

  it('sends one reminder when two runs of one period start at once', async () => {
    const team = await meetingTeam(api);
    await recordAction(team, await runningMeeting(team), 'Call the supplier', '2003-02-02');
    const runs = await Promise.all([
      runJobAt('action-reminders', at('2003-02-01')),
      runJobAt('action-reminders', at('2003-02-01')),
    ]);
    expect(runs.filter((run) => run.ran)).toHaveLength(1);
    expect(remindersAbout('Call the supplier')).toHaveLength(1);
  });

  it('reminds nobody of a finished action, and again once it is reopened', async () => {
    const team = await meetingTeam(api);
    const meeting = await runningMeeting(team);
    const action = await recordAction(team, meeting, 'Update the SLA text', '2002-07-02');
    expect(
      (
        await team.rep.call('updateAction', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.meetingId, actionId: action.id },
          body: { status: 'done', expectedVersion: 1 },
        })
      ).status,
    ).toBe(200);
    const finished = await runJobAt('action-reminders', at('2002-07-01'));
    expect(finished).toMatchObject({ ran: true, summary: expect.objectContaining({ dropped: 1, sent: 0 }) });
    expect(remindersAbout('Update the SLA text')).toHaveLength(0);

    expect(
      (
        await team.rep.call('updateAction', {
          params: { workspaceId: team.workspaceId, meetingId: meeting.meetingId, actionId: action.id },
          body: { status: 'open', expectedVersion: 2 },
        })
      ).status,
    ).toBe(200);
    await runJobAt('action-reminders', at('2002-07-03'));
    expect(remindersAbout('Update the SLA text').map((message) => message.subject)).toEqual([
      'Overdue since 2002-07-02: Update the SLA text',
    ]);
  });

  it('mails nobody who has left the workspace', async () => {
    const team = await meetingTeam(api);
    await recordAction(team, await runningMeeting(team), 'Left behind', '2001-11-02');
    const rep = present(
      (await team.admin.call('listMembers', { params: { workspaceId: team.workspaceId } })).body.members.find(
        (member) => member.email === team.rep.email,
      ),
      'the rep',
    );
    const removed = await team.admin.call('removeMember', {
      params: { workspaceId: team.workspaceId, email: team.rep.email },
      query: { expectedVersion: rep.version },
    });
    expect(removed.status, JSON.stringify(removed.body)).toBeLessThan(300);
    const run = await runJobAt('action-reminders', at('2001-11-01'));
    expect(run).toMatchObject({ ran: true, summary: expect.objectContaining({ ownerGone: 1, sent: 0 }) });
    expect(remindersAbout('Left behind')).toHaveLength(0);
  });

  it('stops at its cap per run and finishes in the next run', async () => {
    const team = await meetingTeam(api);
    const meeting = await runningMeeting(team);
    for (const text of ['Cap one', 'Cap two', 'Cap three']) await recordAction(team, meeting, text, '2001-09-02');
    const capped = await sendActionRemindersCapped('2001-09-01', at('2001-09-01'), 2);
    expect(capped).toMatchObject({ done: false, summary: expect.objectContaining({ sent: 2 }) });
    const rest = await sendActionRemindersCapped('2001-09-01', at('2001-09-01'), 2);
    expect(rest).toMatchObject({ done: true, summary: expect.objectContaining({ sent: 1 }) });
    expect(['Cap one', 'Cap two', 'Cap three'].map((text) => remindersAbout(text).length)).toEqual([1, 1, 1]);
  });
});
