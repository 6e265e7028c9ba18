import {
  maxMarkedPerCall,
  type NotificationCountView,
  type NotificationOrder,
  type NotificationView,
} from '#contract/notifications/notifications';
import { refuse } from '#contract/refusal';
import type { Page } from '#functions/table/pages';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import {
  getInbox,
  getNotificationsAndInbox,
  markReadUpdate,
  newestUnread,
  notificationPage,
  putEmailPreference,
  unreadCountDown,
} from './entities';

/**
 * The caller's own inbox. Every use case takes the caller's email from their
 * identity, never from the input, so nobody reads or marks another member's
 * notifications: an id from someone else's inbox is simply not in theirs.
 */
export function listMyNotifications(
  workspaceId: string,
  email: string,
  query: { order: NotificationOrder; limit: number; cursor?: string },
): Promise<Page<NotificationView>> {
  return notificationPage(workspaceId, email, query.order, query);
}

export const myNotificationCount = (workspaceId: string, email: string): Promise<NotificationCountView> =>
  getInbox(workspaceId, email);

export const setEmailNotifications = (workspaceId: string, email: string, on: boolean) =>
  putEmailPreference(workspaceId, email, on);

/** Attempts when a twin request marks the same notifications at the same time. */
const markAttempts = 3;

/**
 * Marks the named notifications read, or the newest unread ones (at most
 * {@link maxMarkedPerCall}; `more` says whether unread ones remain), and takes
 * as many off the unread counter in the same transaction. An id that is not
 * in the caller's inbox is 404 and nothing is marked. Marking a read one
 * again changes nothing. When another request marks some of them first, the
 * rest are marked on a fresh read.
 */
export async function markMyNotificationsRead(
  workspaceId: string,
  email: string,
  which: { ids?: string[]; all?: true },
  now: string,
): Promise<NotificationCountView & { marked: number; more: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const { count, unread, more } = await unreadAmong(workspaceId, email, which);
    if (unread.length === 0) return { ...count, marked: 0, more };
    const writes = [
      ...unread.map((notification) => markReadUpdate(notification, now)),
      unreadCountDown(workspaceId, email, unread.length),
    ];
    try {
      await transactWrite(writes);
      return { ...count, unread: Math.max(0, count.unread - unread.length), marked: unread.length, more };
    } catch (error) {
      const raced = error instanceof TransactionConditionFailed && error.part === 'notification';
      if (!raced) throw error;
      if (attempt >= markAttempts) throw refuse.conflict('Your notifications were being marked at the same time; try again');
    }
  }
}

async function unreadAmong(workspaceId: string, email: string, which: { ids?: string[]; all?: true }) {
  if (which.ids) {
    const { inbox, items } = await getNotificationsAndInbox(workspaceId, email, [...new Set(which.ids)]);
    const missing = items.find((item) => !item.notification);
    if (missing) throw refuse.notFound(`There is no notification ${missing.id} in your inbox`);
    const unread = items.flatMap((item) => (item.notification?.readAt === null ? [item.notification] : []));
    return { count: inbox, unread, more: false };
  }
  const [count, newest] = await Promise.all([
    getInbox(workspaceId, email, true),
    newestUnread(workspaceId, email, maxMarkedPerCall),
  ]);
  return { count, unread: newest.unread, more: newest.more };
}
