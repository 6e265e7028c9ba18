import { type Commitment, isOverdue } from '#contract/catalogue/commitments';
import type { MemberView } from '#contract/views';
import { dueEntriesBefore, takeDueEntry } from '#functions/catalogue/deliveries-entities';
import { findCommitment } from '#functions/catalogue/entities';
import { mailEnabled, sendMail } from '#functions/mail/mailer';
import { overdueDeliveryMail } from '#functions/mail/messages';
import { notificationWrites } from '#functions/notifications/notify';
import { timeLeftMs } from '#functions/runtime/deadline';
import { optionalEnv } from '#functions/runtime/env';
import { transactWrite } from '#functions/table/transactions';
import { getMember, workspaceToday } from '#functions/workspaces/workspaces';
import { type Job, type JobOutcome, utcDay } from './define';

/** Most commitments one run looks at; the rest wait for the next run of the day. */
export const overdueChecksPerRun = 300;
const pageSize = 25;
const reserveMs = 2_500;

/** Someone to tell that a commitment is overdue. */
export interface OverdueNotification {
  member: MemberView;
  commitment: Commitment;
}

const terminal = new Set<Commitment['status']>(['cancelled', 'declined', 'missed', 'delivered']);

/**
 * Finds the commitments whose promised date passed without their full
 * delivery, through the due queue (`catalogue/deliveries-entities.ts`):
 * only entries of days before today are read, and each is taken off the
 * queue once handled, so a run reads the days since the last run (and what
 * a capped run left) and a commitment is raised once. A commitment that
 * settled meanwhile drops its entry; one not yet overdue in its workspace's
 * time zone stays for the next day.
 */
export async function findOverdue(day: string, now: Date, cap = overdueChecksPerRun) {
  const summary = { overdue: 0, settled: 0, notYet: 0, gone: 0, repGone: 0, takenByOtherRun: 0 };
  const notifications: OverdueNotification[] = [];
  const todays = new Map<string, Promise<string>>();
  const todayOf = (workspaceId: string) => {
    const known = todays.get(workspaceId) ?? workspaceToday(workspaceId, now.toISOString());
    todays.set(workspaceId, known);
    return known;
  };
  let handled = 0;
  let cursor: Record<string, unknown> | undefined;
  while (handled < cap) {
    const page = await dueEntriesBefore(day, Math.min(pageSize, cap - handled), cursor);
    for (const entry of page.entries) {
      if (timeLeftMs() < reserveMs) return { done: false, notifications, summary };
      handled += 1;
      const commitment = await findCommitment(entry.workspaceId, entry.itemId, entry.commitmentId);
      if (!commitment || terminal.has(commitment.status)) {
        if (await takeDueEntry(entry)) summary[commitment ? 'settled' : 'gone'] += 1;
        continue;
      }
      if (!isOverdue(commitment, await todayOf(entry.workspaceId))) {
        summary.notYet += 1;
        continue;
      }
      const member = await getMember(entry.workspaceId, commitment.recordedBy);
      if (!(await takeDueEntry(entry))) {
        summary.takenByOtherRun += 1;
        continue;
      }
      if (!member) {
        summary.repGone += 1;
        continue;
      }
      summary.overdue += 1;
      notifications.push({ member, commitment });
    }
    cursor = page.cursor;
    if (!cursor) return { done: true, notifications, summary };
  }
  return { done: false, notifications, summary };
}

/** The rep's inbox notification of an overdue commitment, with its unread count (one transaction). */
async function inboxOverdueNotice({ member, commitment }: OverdueNotification, now: Date) {
  const missing = commitment.quantity - commitment.deliveredQuantity;
  const customer = commitment.customer ? ` for ${commitment.customer}` : '';
  const { writes } = notificationWrites({
    workspaceId: commitment.workspaceId,
    recipients: [member.email],
    kind: 'delivery overdue',
    title: `${commitment.reference} on ${commitment.itemCode} is overdue`,
    text:
      `Your commitment of ${commitment.quantity}${customer} was promised for ${commitment.promisedDate}; ` +
      `${commitment.deliveredQuantity} were delivered so far, ${missing} are missing. ` +
      'Record the delivery, or tell the customer and settle the commitment.',
    link: { screen: 'catalogueItem', params: { itemId: commitment.itemId } },
    subjectId: commitment.id,
    now: now.toISOString(),
  });
  await transactWrite(writes);
}

/**
 * Raises each overdue notification: a `delivery overdue` notification in the
 * rep's inbox, and a mail through the one mailer. The queue entry is taken
 * already, so each is raised once; a notice or mail that fails is logged, and
 * the commitment still shows overdue everywhere.
 */
export async function raiseOverdueNotifications(notifications: readonly OverdueNotification[], now = new Date()) {
  const counts = { inboxed: 0, inboxFailed: 0, mailed: 0, mailFailed: 0, mailOff: 0 };
  const appUrl = optionalEnv('APP_URL');
  for (const notification of notifications) {
    const { member, commitment } = notification;
    try {
      await inboxOverdueNotice(notification, now);
      counts.inboxed += 1;
    } catch (error) {
      counts.inboxFailed += 1;
      console.error(JSON.stringify({ level: 'warn', message: 'Overdue notification not stored', error: String(error) }));
    }
    if (!mailEnabled()) {
      counts.mailOff += 1;
      continue;
    }
    try {
      await sendMail(
        overdueDeliveryMail({
          to: member.email,
          repName: member.name,
          workspaceId: commitment.workspaceId,
          itemId: commitment.itemId,
          itemCode: commitment.itemCode,
          reference: commitment.reference,
          customer: commitment.customer,
          quantity: commitment.quantity,
          deliveredQuantity: commitment.deliveredQuantity,
          promisedDate: commitment.promisedDate,
          appUrl,
        }),
      );
      counts.mailed += 1;
    } catch (error) {
      counts.mailFailed += 1;
      console.error(JSON.stringify({ level: 'warn', message: 'Overdue notice not sent', error: String(error) }));
    }
  }
  return counts;
}

export async function notifyOverdueDeliveries(day: string, now: Date, cap = overdueChecksPerRun): Promise<JobOutcome> {
  const found = await findOverdue(day, now, cap);
  const raised = await raiseOverdueNotifications(found.notifications, now);
  return { done: found.done, summary: { ...found.summary, ...raised } };
}

export const overdueDeliveries: Job = {
  name: 'overdue-deliveries',
  summary: 'Tells the rep of each commitment whose promised date passed without its full delivery, once',
  // Daily work; the later hourly runs only finish what a capped run left.
  schedule: { everyMinutes: 60, utcHours: [5, 23] },
  period: utcDay,
  leaseMs: 5 * 60_000,
  run: ({ period, now }) => notifyOverdueDeliveries(period, now),
};
