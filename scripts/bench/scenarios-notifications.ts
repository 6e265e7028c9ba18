import { pumpTerms } from '#scripts/fixtures/terms';
import { type BenchTeam, ok, proposeSignOff, type Scenario } from './scenario-kit';

/**
 * The operations manager's newest notification, made by a real producer: a
 * meeting decision proposing a threshold sign-off that names them.
 */
async function notifiedOps(t: BenchTeam): Promise<string> {
  const meeting = await t.meeting();
  const m = `${t.w}/meetings/${meeting.id}`;
  const entry = await t.agendaItem(meeting.id);
  const opened = await ok(t.admin.post(`${m}/state`, { to: 'open', expectedVersion: meeting.version }), 'open');
  await ok(t.admin.post(`${m}/state`, { to: 'inProgress', expectedVersion: opened.version }), 'start');
  const item = await t.item();
  const threshold = `${t.w}/cycles/${meeting.cycleId}/thresholds/${item.id}`;
  const saved = await ok(t.sales.request('PUT', threshold, { terms: pumpTerms, expectedVersion: null }), 'save');
  for (const person of [t.sales, t.ops]) {
    await ok(t.admin.request('PUT', `${m}/attendance/${encodeURIComponent(person.email)}`, { present: true }), 'mark');
  }
  await proposeSignOff(t, m, entry.id, { itemId: item.id, version: saved.version });
  const inbox = await ok(t.ops.get(`${t.w}/notifications?order=newest&limit=1`), 'list notifications');
  const [newest] = inbox.notifications as Array<{ id: string }>;
  if (!newest) throw new Error('The sign-off proposal notified nobody');
  return newest.id;
}

export function notificationScenarios(): Record<string, Scenario> {
  return {
    listNotifications: async (t) => {
      await notifiedOps(t);
      return { who: t.ops, method: 'GET', path: `${t.w}/notifications` };
    },
    getNotificationCount: async (t) => ({ who: t.ops, method: 'GET', path: `${t.w}/notifications/count` }),
    markNotificationsRead: async (t) => ({
      who: t.ops,
      method: 'POST',
      path: `${t.w}/notifications/read`,
      body: { ids: [await notifiedOps(t)] },
    }),
    updateNotificationPreferences: async (t) => ({
      who: t.ops,
      method: 'PUT',
      path: `${t.w}/notifications/preferences`,
      body: { emailNotifications: false },
    }),
  };
}
