import type { NotificationView } from '#contract/notifications/notifications';
import { mailEnabled, sendMail } from '#functions/mail/mailer';
import { notificationMail } from '#functions/mail/messages';
import { optionalEnv } from '#functions/runtime/env';
import { workspaceKey, workspaces } from '#functions/workspaces/entities';
import { emailPreferences } from './entities';

/**
 * Mails stored notifications (from `notificationWrites`, once its transaction
 * succeeded) to those recipients who have email notifications on, the
 * default. One read finds their preferences and the workspace's name. The
 * notifications are in the inbox already: a message that cannot be sent is
 * logged and counted, never thrown, so the change that notified stands.
 * Without a mail transport nothing is read or sent.
 */
export async function sendNotificationMail(
  notifications: readonly NotificationView[],
): Promise<{ sent: number; off: number; failed: number }> {
  const summary = { sent: 0, off: 0, failed: 0 };
  const [first] = notifications;
  if (!first || !mailEnabled()) return summary;
  try {
    const workspaceId = first.workspaceId;
    const preferences = await emailPreferences(
      workspaceId,
      notifications.map((notification) => notification.recipient),
      [workspaceKey(workspaceId)],
    );
    const workspaceItem = preferences.get(workspaceKey(workspaceId));
    const workspaceName = workspaceItem ? workspaces.parse(workspaceItem).name : workspaceId;
    const appUrl = optionalEnv('APP_URL');
    for (const notification of notifications) {
      if (notification.workspaceId !== workspaceId) throw new Error('Notifications of one workspace are mailed together');
      if (!preferences.wantsMail(notification.recipient)) {
        summary.off += 1;
        continue;
      }
      try {
        await sendMail(
          notificationMail({
            to: notification.recipient,
            workspaceId,
            workspaceName,
            title: notification.title,
            text: notification.text,
            appUrl,
          }),
        );
        summary.sent += 1;
      } catch (error) {
        summary.failed += 1;
        console.error(JSON.stringify({ level: 'warn', message: 'Notification mail not sent', error: String(error) }));
      }
    }
  } catch (error) {
    summary.failed = notifications.length - summary.sent - summary.off;
    console.error(JSON.stringify({ level: 'warn', message: 'Notification mails not sent', error: String(error) }));
  }
  return summary;
}
