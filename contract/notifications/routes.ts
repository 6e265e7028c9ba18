import { workspaceParams } from '#contract/common';
import { member, returns, route } from '#contract/define';
import type { NotificationCountView, NotificationView } from './notifications';
import { listNotificationsQuery, markNotificationsReadBody, notificationPreferencesBody } from './schemas';

/**
 * The caller's own notifications in a workspace. No route names a recipient:
 * each reads or changes the inbox of the member who calls it, and nobody else's.
 */
export const notificationRoutes = {
  listNotifications: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/notifications',
    handler: 'notifications/list',
    summary: 'Your notifications in the workspace, unread first or newest first, a page at a time',
    access: member,
    writes: false,
    params: workspaceParams,
    query: listNotificationsQuery,
    response: returns<{ notifications: NotificationView[]; nextCursor: string | null }>(),
  }),
  getNotificationCount: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/notifications/count',
    handler: 'notifications/count',
    summary: 'How many of your notifications are unread, and whether they are mailed to you; polled by the header',
    access: member,
    writes: false,
    params: workspaceParams,
    response: returns<NotificationCountView>(),
  }),
  markNotificationsRead: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/notifications/read',
    handler: 'notifications/mark-read',
    summary: 'Mark your notifications read: those named, or the newest unread ones (at most 50 a call)',
    access: member,
    writes: true,
    idempotent: false,
    params: workspaceParams,
    body: markNotificationsReadBody,
    references: { 'body.ids': { notAReference: 'your own notifications, looked up in your inbox only' } },
    response: returns<NotificationCountView & { marked: number; more: boolean }>(),
  }),
  updateNotificationPreferences: route({
    method: 'PUT',
    path: '/workspaces/{workspaceId}/notifications/preferences',
    handler: 'notifications/preferences',
    summary: 'Whether your notifications in the workspace are mailed to you too',
    access: member,
    writes: true,
    params: workspaceParams,
    body: notificationPreferencesBody,
    references: { 'body.emailNotifications': { notAReference: 'a yes-or-no setting, not an address' } },
    response: returns<NotificationCountView>(),
  }),
};
