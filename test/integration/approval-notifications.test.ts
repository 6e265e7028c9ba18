import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView } from '#contract/notifications/notifications';
import { addDays } from '#contract/working-days';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { runJobAt } from '#test/support/jobs';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

/**
 * The promise loop's notifications: a commitment waiting for approval tells
 * the operations managers, a decision tells the rep who recorded it, and the
 * overdue-deliveries job tells the rep of a promise not kept; nobody else.
 */
let api: TestApi;
let team: PlanningTeam;
let codes = 0;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Notified Decisions');
});
afterAll(async () => {
  await api.close();
});

const ws = () => ({ workspaceId: team.workspaceId });
const unread = async (person: Person) => {
  const answer = await person.call('getNotificationCount', { params: ws() });
  expect(answer.status).toBe(200);
  return answer.body.unread as number;
};
const inbox = async (person: Person) =>
  (await person.call('listNotifications', { params: ws(), query: { order: 'newest' } })).body.notifications as NotificationView[];
const everyone = () =>
  ({
    admin: team.admin,
    sales: team.sales,
    ops: team.ops,
    rep: team.rep,
    opsRep: team.opsRep,
    marketing: team.marketing,
  }) as const;
type Who = keyof ReturnType<typeof everyone>;
async function counts(): Promise<Record<Who, number>> {
  const entries = await Promise.all(
    Object.entries(everyone()).map(async ([who, person]) => [who, await unread(person)] as const),
  );
  return Object.fromEntries(entries) as Record<Who, number>;
}
/** What changed in each inbox count since `before`. */
async function risen(before: Record<Who, number>) {
  const after = await counts();
  return Object.fromEntries(Object.entries(after).map(([who, n]) => [who, n - before[who as Who]]));
}

async function flexBy(who: Person, reference: string) {
  const { base } = await agreedItem(team, `NOTIFY-${++codes}`);
  const check = await who.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 7 } });
  expect(check.body.band).toBe('flex');
  const recorded = await who.call('recordCommitment', {
    params: base,
    body: { reference, quantity: 10, deliveryDate: check.body.deliveryDate, customer: 'Nordwasser AS' },
  });
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
  expect(recorded.body.commitment.status).toBe('awaiting approval');
  return recorded.body.commitment;
}

const decide = (
  how: 'approveCommitment' | 'declineCommitment',
  commitment: { workspaceId: string; itemId: string; id: string; version: number },
  reason: string,
) =>
  team.ops.call(how, {
    params: { workspaceId: commitment.workspaceId, itemId: commitment.itemId, commitmentId: commitment.id },
    body: { reason, expectedVersion: commitment.version },
  });

describe('notifications of commitments awaiting approval', () => {
  it('tells the operations manager when a rep records flex, and nobody else', async () => {
    const before = await counts();
    const commitment = await flexBy(team.rep, 'SO-ask');
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 1, rep: 0, opsRep: 0, marketing: 0 });
    const [notice] = await inbox(team.ops);
    expect(notice).toMatchObject({
      kind: 'approval requested',
      subjectId: commitment.id,
      recipient: team.ops.email,
      link: { screen: 'catalogueItem', params: { itemId: commitment.itemId } },
      readAt: null,
    });
    expect(notice?.title).toContain('SO-ask');
    expect(notice?.text).toContain('Nordwasser AS');
  });

  it('tells the rep "approved" after approval, and nobody else', async () => {
    const commitment = await flexBy(team.rep, 'SO-yes');
    const before = await counts();
    const approved = await decide('approveCommitment', commitment, 'Line 2 has room');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 0, rep: 1, opsRep: 0, marketing: 0 });
    const [notice] = await inbox(team.rep);
    expect(notice).toMatchObject({ kind: 'commitment approved', subjectId: commitment.id, recipient: team.rep.email });
    expect(notice?.title).toContain('approved');
    expect(notice?.text).toContain('Line 2 has room');
  });

  it('tells the rep "declined" with the reason, and nobody else', async () => {
    const commitment = await flexBy(team.rep, 'SO-no');
    const before = await counts();
    const declined = await decide('declineCommitment', commitment, 'The line is booked that week');
    expect(declined.status).toBe(200);
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 0, rep: 1, opsRep: 0, marketing: 0 });
    const [notice] = await inbox(team.rep);
    expect(notice).toMatchObject({ kind: 'commitment declined', subjectId: commitment.id });
    expect(notice?.text).toContain('The line is booked that week');
  });

  it('notifies nobody of a standard commitment, nor of a refused decision', async () => {
    const { base } = await agreedItem(team, `NOTIFY-${++codes}`);
    const commitment = await flexBy(team.rep, 'SO-refused');
    const before = await counts();
    const check = await team.rep.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 12 } });
    expect(check.body.band).toBe('standard');
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'SO-std', quantity: 10, deliveryDate: check.body.deliveryDate },
    });
    expect(recorded.body.commitment.status).toBe('approved');
    const stale = await decide('approveCommitment', { ...commitment, version: commitment.version + 1 }, 'Stale');
    expect(stale.status).toBe(409);
    const bySales = await team.sales.call('approveCommitment', {
      params: { workspaceId: commitment.workspaceId, itemId: commitment.itemId, commitmentId: commitment.id },
      body: { reason: 'Not mine to approve', expectedVersion: commitment.version },
    });
    expect(bySales.status).toBe(403);
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 0, rep: 0, opsRep: 0, marketing: 0 });
  });

  it('does not tell the operations manager of their own flex commitment', async () => {
    const before = await counts();
    await flexBy(team.ops, 'SO-own');
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 0, rep: 0, opsRep: 0, marketing: 0 });
  });
});

describe('notifications of orders', () => {
  it('tells the operations manager once of an order whose lines wait, naming each line', async () => {
    const first = await agreedItem(team, `NOTIFY-${++codes}`);
    const second = await agreedItem(team, `NOTIFY-${++codes}`);
    const check = await team.rep.call('promiseCheck', { params: first.base, query: { quantity: 10, leadTimeDays: 7 } });
    expect(check.body.band).toBe('flex');
    const before = await counts();
    const recorded = await team.rep.call('recordOrder', {
      params: ws(),
      body: {
        reference: 'PO-flex',
        date: check.body.deliveryDate,
        lines: [
          { itemId: first.item.id, quantity: 10 },
          { itemId: second.item.id, quantity: 10 },
        ],
      },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body.commitments.map((line: { status: string }) => line.status)).toEqual([
      'awaiting approval',
      'awaiting approval',
    ]);
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 1, rep: 0, opsRep: 0, marketing: 0 });
    const [notice] = await inbox(team.ops);
    expect(notice).toMatchObject({ kind: 'approval requested', subjectId: recorded.body.commitments[0]?.id });
    expect(notice?.title).toContain('PO-flex');
    expect(notice?.text).toContain(second.item.code);
  });
});

describe('the overdue-deliveries job', () => {
  it('puts the overdue notice in the rep’s inbox, once', async () => {
    // A workspace of its own: the commitments above would be overdue on the job's day too.
    team = await planningTeam(api, 'Overdue Notices');
    const on = await agreedItem(team, `NOTIFY-${++codes}`);
    const reference = `SO-LATE-${crypto.randomUUID().slice(0, 8)}`;
    const late = await seedCommitment(team, on, { reference, promisedDate: daysFromToday(2), quantity: 10 });
    const before = await counts();
    // A day of its own, years ahead, so no earlier run of the job holds it.
    const day = addDays(today(), 400 + Math.floor(Math.random() * 4000));
    for (let run = 0; run < 20; run += 1) {
      const result = await runJobAt('overdue-deliveries', new Date(`${day}T07:00:00Z`));
      if (!result.ran || result.done) break;
    }
    expect(await risen(before)).toEqual({ admin: 0, sales: 0, ops: 0, rep: 1, opsRep: 0, marketing: 0 });
    const notice = (await inbox(team.rep)).find((found) => found.subjectId === late.id);
    expect(notice).toMatchObject({
      kind: 'delivery overdue',
      recipient: team.rep.email,
      link: { screen: 'catalogueItem', params: { itemId: on.item.id } },
    });
    expect(notice?.title).toContain(reference);
    await runJobAt('overdue-deliveries', new Date(`${addDays(day, 1)}T07:00:00Z`));
    expect((await inbox(team.rep)).filter((found) => found.subjectId === late.id)).toHaveLength(1);
  });
});
