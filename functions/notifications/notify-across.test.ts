import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView } from '#contract/notifications/notifications';
import { transactWrite } from '#functions/table/transactions';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { notificationWrites, recipientsOf } from './notify';

/** Another area (a job, a decision) finds whom to tell and writes their notifications beside its own writes. */
let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Told Pumps');
});
afterAll(async () => {
  await api.close();
});

const ws = () => ({ workspaceId: team.workspaceId });
const count = async (person: Person) => (await person.call('getNotificationCount', { params: ws() })).body;
const inbox = async (person: Person, order: 'unread' | 'newest' = 'unread') =>
  (await person.call('listNotifications', { params: ws(), query: { order } })).body.notifications as NotificationView[];

describe('notifying from another area', () => {
  it('finds recipients by function and role, and writes notifications without a request, as a job would', async () => {
    const operations = await recipientsOf(team.workspaceId, { functions: ['operations'], roles: ['manager', 'admin'] });
    expect(operations).toEqual([team.ops.email]);
    expect(
      await recipientsOf(team.workspaceId, { functions: ['operations'], roles: ['manager'], except: [team.ops.email] }),
    ).toEqual([]);
    expect(await recipientsOf(team.workspaceId, { roles: ['rep'] })).toEqual([team.rep.email, team.opsRep.email].sort());

    const before = (await count(team.opsRep)).unread;
    const notices = notificationWrites({
      workspaceId: team.workspaceId,
      recipients: [team.opsRep.email],
      kind: 'delivery overdue',
      title: 'Deal 12 Bergen is overdue',
      text: 'Promised for 2027-03-01, not delivered in full.',
      link: { screen: 'overview', params: {} },
      subjectId: crypto.randomUUID(),
      now: new Date().toISOString(),
    });
    await transactWrite(notices.writes);
    expect((await count(team.opsRep)).unread).toBe(before + 1);
    expect((await inbox(team.opsRep, 'newest'))[0]).toMatchObject({
      id: notices.notifications[0]?.id,
      kind: 'delivery overdue',
      link: { screen: 'overview', params: {} },
    });
  });
});
