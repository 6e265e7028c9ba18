import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { agreedItem } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

/**
 * The inbox attacked from outside: reading or marking another member's
 * notifications (a colleague's, another workspace's), and racing twins of a
 * mark, which must count each notification down exactly once.
 */
let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let ops2: Person;
let on: Awaited<ReturnType<typeof agreedItem>>;

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Inbox Attack');
  other = await planningTeam(api, 'Inbox Elsewhere');
  const email = uniqueEmail('otto-ops');
  await team.admin.call('inviteMember', {
    params: { workspaceId: team.workspaceId },
    body: { email, name: 'otto-ops', function: 'operations', role: 'manager' },
  });
  ops2 = await signInAs(api, email, 'otto-ops');
  on = await agreedItem(team, 'NA-1');
});
afterAll(async () => {
  await api.close();
});

/** Flex commitments by the rep: each tells every operations manager that an approval waits. */
async function approvalRequests(count: number, owner = team, at = on) {
  for (let index = 0; index < count; index++) {
    const check = await owner.rep.call('promiseCheck', { params: at.base, query: { quantity: 1, leadTimeDays: 7 } });
    const recorded = await owner.rep.call('recordCommitment', {
      params: at.base,
      body: { reference: `SO-inbox-${crypto.randomUUID().slice(0, 6)}`, quantity: 1, deliveryDate: check.body.deliveryDate },
    });
    expect(recorded.body.commitment?.status, JSON.stringify(recorded.body)).toBe('awaiting approval');
  }
}

const inbox = async (who: Person, workspaceId = team.workspaceId) => {
  const answer = await who.call('listNotifications', { params: { workspaceId }, query: { order: 'newest', limit: 200 } });
  expect(answer.status).toBe(200);
  return answer.body.notifications as Array<{ id: string; readAt: string | null }>;
};
const unread = async (who: Person, workspaceId = team.workspaceId) =>
  (await who.call('getNotificationCount', { params: { workspaceId } })).body.unread as number;
const mark = (who: Person, body: { ids?: string[]; all?: true }, workspaceId = team.workspaceId) =>
  who.callRaw('markNotificationsRead', { params: { workspaceId }, body });

describe('another member’s inbox', () => {
  it('is never listed to a colleague, and a colleague’s ids mark nothing (404)', async () => {
    await approvalRequests(2);
    const theirs = await inbox(team.ops);
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    const theirIds = theirs.map((notice) => notice.id);
    const colleagueView = await inbox(team.rep);
    for (const id of theirIds) expect(colleagueView.map((notice) => notice.id)).not.toContain(id);
    const before = await unread(team.ops);

    const answer = await mark(team.rep, { ids: theirIds });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    // A second operations manager received notifications of their own; ids of the first still are not theirs.
    expect((await mark(ops2, { ids: theirIds })).status).toBe(404);
    expect(await unread(team.ops)).toBe(before);
    expect((await inbox(team.ops)).filter((notice) => notice.readAt === null).map((notice) => notice.id)).toEqual(
      expect.arrayContaining(theirIds.slice(0, 2)),
    );
  });

  it('marks nothing when one of the ids is a colleague’s, not even the caller’s own', async () => {
    await approvalRequests(1);
    const own = (await inbox(ops2)).filter((notice) => notice.readAt === null).map((notice) => notice.id);
    const colleagues = (await inbox(team.ops)).map((notice) => notice.id);
    expect(own.length).toBeGreaterThan(0);
    const [ownBefore, colleagueBefore] = [await unread(ops2), await unread(team.ops)];
    const answer = await mark(ops2, { ids: [own[0] as string, colleagues[0] as string] });
    expect(answer.status).toBe(404);
    expect(await unread(ops2)).toBe(ownBefore);
    expect(await unread(team.ops)).toBe(colleagueBefore);
  });

  it('is out of reach from another workspace, by its path and by ids on one’s own path', async () => {
    const ids = (await inbox(team.ops)).map((notice) => notice.id);
    const before = await unread(team.ops);
    expect((await other.ops.callRaw('listNotifications', { params: { workspaceId: team.workspaceId }, query: {} })).status).toBe(
      404,
    );
    expect((await mark(other.ops, { all: true }, team.workspaceId)).status).toBe(404);
    expect((await mark(other.ops, { ids }, other.workspaceId)).status).toBe(404);
    expect(await unread(team.ops)).toBe(before);
  });

  it('refuses a colleague’s cursor with 400 in either order, showing none of their notifications', async () => {
    await approvalRequests(2);
    const theirIds = (await inbox(team.ops)).map((notice) => notice.id);
    for (const taken of ['newest', 'unread'] as const) {
      const page = await team.ops.call('listNotifications', {
        params: { workspaceId: team.workspaceId },
        query: { order: taken, limit: 1 },
      });
      expect(page.body.nextCursor).toEqual(expect.any(String));
      for (const order of ['newest', 'unread'] as const) {
        const answer = await team.sales.callRaw('listNotifications', {
          params: { workspaceId: team.workspaceId },
          query: { order, limit: 200, cursor: page.body.nextCursor as string },
        });
        expect(answer.status, `${taken} cursor, ${order} list`).toBe(400);
        for (const id of theirIds) expect(JSON.stringify(answer.body)).not.toContain(id);
      }
    }
  });

  it('bounds a mark to 50 ids and refuses ids and all together', async () => {
    const ids = Array.from({ length: 51 }, () => crypto.randomUUID());
    const tooMany = await mark(team.ops, { ids });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toMatch(/body\.ids/);
    const both = await team.ops.callRaw('markNotificationsRead', {
      params: { workspaceId: team.workspaceId },
      body: { ids: ids.slice(0, 1), all: true },
    });
    expect(both.status).toBe(400);
  });
});

describe('racing twins of a mark', () => {
  it('counts each notification down once when 15 twins mark all, round after round', async () => {
    for (let round = 0; round < 3; round++) {
      await approvalRequests(3);
      const before = await unread(team.ops);
      expect(before).toBeGreaterThanOrEqual(3);
      const answers = await Promise.all(Array.from({ length: 15 }, () => mark(team.ops, { all: true })));
      expect(answers.every((answer) => answer.status === 200 || answer.status === 409 || answer.status === 503)).toBe(true);
      const marked = answers
        .filter((answer) => answer.status === 200)
        .reduce((sum, answer) => sum + (answer.body.marked as number), 0);
      expect(marked, `round ${round}`).toBe(before);
      expect(await unread(team.ops)).toBe(0);
      expect((await inbox(team.ops)).filter((notice) => notice.readAt === null)).toEqual([]);
    }
  }, 90_000);

  it('counts one notification down once when 15 twins mark it by id', async () => {
    await approvalRequests(2);
    const target = (await inbox(ops2)).find((notice) => notice.readAt === null);
    expect(target).toBeDefined();
    const before = await unread(ops2);
    const answers = await Promise.all(Array.from({ length: 15 }, () => mark(ops2, { ids: [target?.id as string] })));
    const marked = answers
      .filter((answer) => answer.status === 200)
      .reduce((sum, answer) => sum + (answer.body.marked as number), 0);
    expect(marked).toBe(1);
    expect(await unread(ops2)).toBe(before - 1);
  });
});
