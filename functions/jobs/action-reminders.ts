import { mailEnabled, sendMail } from '#functions/mail/mailer';
import { actionReminderMail } from '#functions/mail/messages';
import { actionOf, dropReminderEntry, dueReminderEntries, takeReminder } from '#functions/meetings/entities-reminders';
import { timeLeftMs } from '#functions/runtime/deadline';
import { optionalEnv } from '#functions/runtime/env';
import { getMember } from '#functions/workspaces/workspaces';
import { type Job, type JobOutcome, utcDay } from './define';

/** Most reminders one run handles; the rest wait for the next run of the day. */
export const remindersPerRun = 200;
const pageSize = 25;
/** A run stops taking reminders this long before its invocation's deadline, to record where it stopped. */
const reserveMs = 2_500;

/**
 * Mails the owner of every open action item that is due tomorrow, due today
 * or overdue, one reminder per action per UTC day. Actions are found through
 * the reminder queue (`meetings/entities-reminders.ts`), never by scanning.
 * Without a mail transport there is nobody to tell: the actions stay under
 * My actions in the app, and the queue is left as it is.
 */
export async function sendActionReminders(today: string, now: Date, cap = remindersPerRun): Promise<JobOutcome> {
  const summary = { sent: 0, alreadyReminded: 0, takenByOtherRun: 0, dropped: 0, ownerGone: 0, failed: 0 };
  if (!mailEnabled()) return { done: true, summary: { ...summary, mailOff: 1 } };
  const appUrl = optionalEnv('APP_URL');
  let handled = 0;
  let cursor: Record<string, unknown> | undefined;
  while (handled < cap) {
    const page = await dueReminderEntries(today, Math.min(pageSize, cap - handled), cursor);
    for (const entry of page.entries) {
      if (timeLeftMs() < reserveMs) return { done: false, summary };
      handled += 1;
      const action = await actionOf(entry);
      if (action?.status !== 'open') {
        await dropReminderEntry(entry);
        summary.dropped += 1;
        continue;
      }
      // Someone who left the workspace hears nothing more of its actions.
      if (!(await getMember(entry.workspaceId, action.owner))) {
        await dropReminderEntry(entry);
        summary.ownerGone += 1;
        continue;
      }
      const taken = await takeReminder(entry, today, now);
      if (taken === 'already') summary.alreadyReminded += 1;
      if (taken === 'gone') summary.takenByOtherRun += 1;
      if (taken !== 'taken') continue;
      try {
        await sendMail(
          actionReminderMail({
            to: action.owner,
            ownerName: action.ownerName,
            workspaceId: entry.workspaceId,
            meetingTitle: action.meetingTitle ?? '',
            text: action.text,
            dueDate: action.dueDate,
            today,
            appUrl,
          }),
        );
        summary.sent += 1;
      } catch (error) {
        // Taken but not sent: today's reminder of this action is lost, tomorrow's still comes.
        summary.failed += 1;
        console.error(JSON.stringify({ level: 'warn', message: 'Action reminder not sent', error: String(error) }));
      }
    }
    cursor = page.cursor;
    if (!cursor) return { done: true, summary };
  }
  return { done: false, summary };
}

export const actionReminders: Job = {
  name: 'action-reminders',
  summary: 'Mails each open action item’s owner when it is due tomorrow, due today or overdue, once a day',
  // Hourly from 06:00 UTC: the first run sends the day's reminders, later ones finish what a capped run left.
  schedule: { everyMinutes: 60, utcHours: [6, 23] },
  period: utcDay,
  leaseMs: 5 * 60_000,
  run: ({ period, now }) => sendActionReminders(period, now),
};
