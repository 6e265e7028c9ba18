import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView } from '#contract/notifications/notifications';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { meetingBody } from '#test/support/meetings';
import { createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';
import { partitionItems, snapshot } from '#test/support/snapshot';

/**
 * The notifications inbox, through a real producer: a meeting decision that
 * proposes a threshold sign-off notifies its named signers, in the inbox and
 * by mail (the local outbox).
 */
const outbox = mkdtempSync(join(tmpdir(), 'accord-notify-outbox-'));
let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let cycleId: string;
let codes = 0;

beforeAll(async () => {
  process.env.MAIL_OUTBOX_DIR = outbox;
  process.env.APP_URL = 'http://accord.test';
  api = await startApi({ outboxDir: outbox });
  team = await planningTeam(api, 'Notified Pumps');
  other = await planningTeam(api, 'Elsewhere Valves');
  cycleId = (await createCycle(team, 'Notified cycle')).id;
});
afterAll(async () => {
  delete process.env.MAIL_OUTBOX_DIR;
  delete process.env.APP_URL;
  await api.close();
});

/** A running meeting with an item's threshold v1 on its agenda, the sales and operations managers present. */
async function runningMeeting() {
  const item = await createItem(team, `NOTE-${++codes}`);
  const saved = await team.admin.call('saveThreshold', {
    params: { workspaceId: team.workspaceId, cycleId, itemId: item.id },
    body: { terms: pumpTerms, expectedVersion: null },
  });
  expect(saved.status).toBe(200);
  const ws = { workspaceId: team.workspaceId };
  const meeting = (await team.admin.call('createMeeting', { params: ws, body: meetingBody(cycleId, { title: 'Q1 sign-off' }) }))
    .body;
  const path = { ...ws, meetingId: meeting.id };
  const entry = (
    await team.admin.call('addAgendaEntry', {
      params: path,
      body: { title: 'Agree the threshold', durationMinutes: 10, links: { thresholdId: item.id, thresholdVersion: 1 } },
    })
  ).body;
  for (const to of ['open', 'inProgress'] as const) {
    const current = (await team.admin.call('getMeeting', { params: path })).body.meeting;
    const changed = await team.admin.call('changeMeetingState', { params: path, body: { to, expectedVersion: current.version } });
    expect(changed.status).toBe(200);
  }
  for (const person of [team.sales, team.ops]) {
    const marked = await team.admin.call('markAttendance', { params: { ...path, email: person.email }, body: { present: true } });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
  }
  /** Records a decision proposing the sign-off of v1 by the sales and operations managers, as `by`. */
  const decide = async (by: Person, text = 'Agree v1 for Q1') => {
    const decided = await by.call('recordOutcome', {
      params: path,
      body: {
        kind: 'decision',
        agendaItemId: entry.id,
        text,
        effects: [
          { kind: 'thresholdSignOff', thresholdId: item.id, thresholdVersion: 1, signers: [team.sales.email, team.ops.email] },
        ],
      },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    return decided.body;
  };
  return { meetingId: meeting.id, decide };
}

const ws = () => ({ workspaceId: team.workspaceId });
const count = async (person: Person) => (await person.call('getNotificationCount', { params: ws() })).body;
const inbox = async (person: Person, order: 'unread' | 'newest' = 'unread') =>
  (await person.call('listNotifications', { params: ws(), query: { order } })).body.notifications as NotificationView[];
const inboxItems = (person: Person) => partitionItems(team.workspaceId, undefined, undefined, `#INBOX#${person.email}`);
const mailsTo = (email: string) =>
  readdirSync(outbox)
    .map((name) => JSON.parse(readFileSync(join(outbox, name), 'utf8')) as { to: string; subject: string; text: string })
    .filter((mail) => mail.to === email);

describe('a decision proposing a sign-off', () => {
  it('notifies each named signer in their inbox and by mail, and nobody else', async () => {
    const { meetingId, decide } = await runningMeeting();
    const before = { sales: (await count(team.sales)).unread, ops: (await count(team.ops)).unread };
    const mailsBefore = mailsTo(team.sales.email).length;
    const decision = await decide(team.marketing, 'Agree v1: 40 units a week');

    for (const [person, was] of [
      [team.sales, before.sales],
      [team.ops, before.ops],
    ] as const) {
      expect(await count(person)).toEqual({ unread: was + 1, emailNotifications: true });
      const [newest] = await inbox(person, 'newest');
      expect(newest).toMatchObject({
        kind: 'sign-off requested',
        recipient: person.email,
        workspaceId: team.workspaceId,
        title: 'Confirm your threshold sign-off in “Q1 sign-off”',
        link: { screen: 'meeting', params: { meetingId } },
        subjectId: decision.id,
        readAt: null,
      });
      expect(newest?.text).toContain('Agree v1: 40 units a week');
    }
    for (const person of [team.marketing, team.admin, team.rep, team.opsRep]) {
      expect(await count(person)).toEqual({ unread: 0, emailNotifications: true });
      expect(await inbox(person)).toEqual([]);
    }
    const mails = mailsTo(team.sales.email);
    expect(mails).toHaveLength(mailsBefore + 1);
    expect(mails.at(-1)?.subject).toBe('Confirm your threshold sign-off in “Q1 sign-off” · Notified Pumps');
    expect(mails.at(-1)?.text).toContain(`Open your notifications: http://accord.test/w/${team.workspaceId}/notifications`);
    expect(mailsTo(team.marketing.email).filter((mail) => mail.subject.includes('sign-off'))).toEqual([]);
  });

  it('does not notify the signer who recorded it', async () => {
    const { decide } = await runningMeeting();
    const before = { sales: (await count(team.sales)).unread, ops: (await count(team.ops)).unread };
    await decide(team.sales);
    expect((await count(team.sales)).unread).toBe(before.sales);
    expect((await count(team.ops)).unread).toBe(before.ops + 1);
  });

  it('mails nobody who turned email notifications off, and still puts it in their inbox', async () => {
    const { decide } = await runningMeeting();
    const off = await team.ops.call('updateNotificationPreferences', { params: ws(), body: { emailNotifications: false } });
    expect(off.status).toBe(200);
    expect(off.body.emailNotifications).toBe(false);
    const before = {
      ops: mailsTo(team.ops.email).length,
      sales: mailsTo(team.sales.email).length,
      unread: (await count(team.ops)).unread,
    };
    await decide(team.marketing);
    expect(mailsTo(team.ops.email)).toHaveLength(before.ops);
    expect(mailsTo(team.sales.email)).toHaveLength(before.sales + 1);
    expect(await count(team.ops)).toEqual({ unread: before.unread + 1, emailNotifications: false });
    const on = await team.ops.call('updateNotificationPreferences', { params: ws(), body: { emailNotifications: true } });
    expect(on.body).toEqual({ unread: before.unread + 1, emailNotifications: true });
  });

  it('writes no notification when the decision is refused', async () => {
    const { meetingId } = await runningMeeting();
    const before = [...(await inboxItems(team.sales)), ...(await inboxItems(team.ops))];
    const refused = await team.marketing.call('recordOutcome', {
      params: { ...ws(), meetingId },
      body: {
        kind: 'decision',
        agendaItemId: crypto.randomUUID(),
        text: 'No such agenda item',
        effects: [
          {
            kind: 'thresholdSignOff',
            thresholdId: crypto.randomUUID(),
            thresholdVersion: 1,
            signers: [team.sales.email, team.ops.email],
          },
        ],
      },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect([...(await inboxItems(team.sales)), ...(await inboxItems(team.ops))]).toEqual(before);
  });
});

describe('the inbox', () => {
  it('lists unread first or newest first, a page at a time, and marks read by id or all', async () => {
    const { decide } = await runningMeeting();
    await team.ops.call('markNotificationsRead', { params: ws(), body: { all: true } });
    const first = await decide(team.marketing, 'First');
    const second = await decide(team.marketing, 'Second');
    const third = await decide(team.marketing, 'Third');
    expect((await count(team.ops)).unread).toBe(3);
    const newest = await inbox(team.ops, 'newest');
    expect(newest.slice(0, 3).map((n) => n.subjectId)).toEqual([third.id, second.id, first.id]);

    const middle = newest[1] as NotificationView;
    const marked = await team.ops.call('markNotificationsRead', { params: ws(), body: { ids: [middle.id] } });
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ unread: 2, emailNotifications: true, marked: 1, more: false });
    expect(await count(team.ops)).toMatchObject({ unread: 2 });
    const again = await team.ops.call('markNotificationsRead', { params: ws(), body: { ids: [middle.id] } });
    expect(again.body).toMatchObject({ unread: 2, marked: 0 });

    const unreadFirst = await inbox(team.ops, 'unread');
    expect(unreadFirst.slice(0, 3).map((n) => [n.subjectId, n.readAt === null])).toEqual([
      [third.id, true],
      [first.id, true],
      [second.id, false],
    ]);

    const page1 = await team.ops.call('listNotifications', { params: ws(), query: { order: 'newest', limit: 1 } });
    expect(page1.body.notifications.map((n) => n.subjectId)).toEqual([third.id]);
    const page2 = await team.ops.call('listNotifications', {
      params: ws(),
      query: { order: 'newest', limit: 1, cursor: page1.body.nextCursor ?? undefined },
    });
    expect(page2.body.notifications.map((n) => n.subjectId)).toEqual([second.id]);

    const all = await team.ops.call('markNotificationsRead', { params: ws(), body: { all: true } });
    expect(all.body).toEqual({ unread: 0, emailNotifications: true, marked: 2, more: false });
    expect(await count(team.ops)).toMatchObject({ unread: 0 });
    expect((await inbox(team.ops)).every((n) => n.readAt !== null)).toBe(true);
  });

  it('counts a racing twin’s marks once', async () => {
    const { decide } = await runningMeeting();
    await team.sales.call('markNotificationsRead', { params: ws(), body: { all: true } });
    for (const text of ['One', 'Two', 'Three', 'Four']) await decide(team.marketing, text);
    expect((await count(team.sales)).unread).toBe(4);
    const ids = (await inbox(team.sales)).slice(0, 4).map((n) => n.id);
    const answers = await Promise.all([
      team.sales.call('markNotificationsRead', { params: ws(), body: { all: true } }),
      team.sales.call('markNotificationsRead', { params: ws(), body: { ids } }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.reduce((sum, a) => sum + (a.body.marked ?? 0), 0)).toBe(4);
    expect(await count(team.sales)).toMatchObject({ unread: 0 });
    const stored = (await inboxItems(team.sales)).find((item) => item.type === 'Inbox');
    expect(stored?.unread).toBe(0);
  });

  it('is its recipient’s only: a colleague, another workspace’s member and an outsider change nothing', async () => {
    const { decide } = await runningMeeting();
    await decide(team.marketing);
    const [own] = await inbox(team.ops);
    if (!own) throw new Error('expected a notification');
    const before = await inboxItems(team.ops);
    const everything = await snapshot(team.workspaceId);

    // A colleague names the id: it is not in their inbox.
    const colleague = await team.sales.call('markNotificationsRead', { params: ws(), body: { ids: [own.id] } });
    expect(colleague.status).toBe(404);
    expect((await inbox(team.sales)).some((n) => n.id === own.id)).toBe(false);
    // Another workspace's member and an outsider are not members here: the workspace is not theirs to see.
    const elsewhere = await other.ops.call('markNotificationsRead', { params: ws(), body: { ids: [own.id] } });
    expect(elsewhere.status).toBe(404);
    expect((await other.ops.call('listNotifications', { params: ws(), query: {} })).status).toBe(404);
    expect((await other.ops.call('getNotificationCount', { params: ws() })).status).toBe(404);
    const outsider = await api.person('notify-outsider');
    for (const answer of [
      await outsider.call('markNotificationsRead', { params: ws(), body: { all: true } }),
      await outsider.call('listNotifications', { params: ws(), query: {} }),
      await outsider.call('updateNotificationPreferences', { params: ws(), body: { emailNotifications: false } }),
    ]) {
      expect(answer.status).toBe(404);
    }
    // In their own workspace, the id names nothing either.
    const ownWorkspace = await other.ops.call('markNotificationsRead', {
      params: { workspaceId: other.workspaceId },
      body: { ids: [own.id] },
    });
    expect(ownWorkspace.status).toBe(404);

    expect(await inboxItems(team.ops)).toEqual(before);
    expect(await snapshot(team.workspaceId)).toEqual(everything);
    expect((await inbox(team.ops))[0]).toMatchObject({ id: own.id, readAt: null });
  });

  it('refuses bad input naming the field, marking nothing', async () => {
    const before = await inboxItems(team.ops);
    const both = await team.ops.callRaw('markNotificationsRead', {
      params: ws(),
      body: { ids: [crypto.randomUUID()], all: true },
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toMatch(/either ids or all/);
    const many = await team.ops.callRaw('markNotificationsRead', {
      params: ws(),
      body: { ids: Array.from({ length: 51 }, () => crypto.randomUUID()) },
    });
    expect(many.status).toBe(400);
    expect(JSON.stringify(many.body)).toMatch(/at most 50/);
    const order = await team.ops.callRaw('listNotifications', { params: ws(), query: { order: 'oldest' } });
    expect(order.status).toBe(400);
    expect(JSON.stringify(order.body)).toMatch(/order/);
    expect(await inboxItems(team.ops)).toEqual(before);
  });
});
