/**
 * A member's notifications: what each one says and where it leads. Pure
 * types and rules, shared by the API, the web app and other areas that
 * notify. Docs: docs/notifications.md.
 */

/** What a notification is about; other areas add kinds here as they notify. */
export const notificationKinds = [
  'approval requested',
  'commitment approved',
  'commitment declined',
  'delivery overdue',
  'sign-off requested',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * Where a notification leads: a screen of the app by name with its
 * parameters, the notification's workspace implied. The web app turns it
 * into an href with its typed screen table, so no path is stored.
 */
export type NotificationLink =
  | { screen: 'overview'; params: Record<string, never> }
  | { screen: 'meeting'; params: { meetingId: string } }
  | { screen: 'catalogueItem'; params: { itemId: string } }
  | { screen: 'threshold'; params: { cycleId: string; itemId: string } }
  | { screen: 'issue'; params: { issueId: string } };

export const notificationScreens = [
  'overview',
  'meeting',
  'catalogueItem',
  'threshold',
  'issue',
] as const satisfies readonly NotificationLink['screen'][];

export interface NotificationView {
  id: string;
  workspaceId: string;
  /** The member it is for (their email); nobody else reads it. */
  recipient: string;
  kind: NotificationKind;
  /** One line. */
  title: string;
  /** Plain text, never HTML. */
  text: string;
  link: NotificationLink;
  /** The record it is about (a commitment, a meeting decision). */
  subjectId: string;
  createdAt: string;
  /** When the recipient marked it read; null while unread. */
  readAt: string | null;
}

/** The unread count the header shows, and the member's email preference. */
export interface NotificationCountView {
  unread: number;
  /** Whether notifications are mailed to the member too (default on). */
  emailNotifications: boolean;
}

/** Longest title and text a notification carries; producers shorten to these. */
export const maxNotificationTitle = 160;
export const maxNotificationText = 1000;

/** Most notifications one `markNotificationsRead` call marks (each with the unread counter in one transaction). */
export const maxMarkedPerCall = 50;

/** Most recipients of one notification write, so a producer's transaction stays far below DynamoDB's 100 items. */
export const maxRecipientsPerWrite = 20;

/** How long a notification is kept, read or not. */
export const notificationRetentionDays = 180;

/** The order of the inbox: unread first (each group newest first), or newest first. */
export const notificationOrders = ['unread', 'newest'] as const;
export type NotificationOrder = (typeof notificationOrders)[number];

/** Shortens a producer's text to `max` characters on one line where asked, ending with an ellipsis when cut. */
export function fitText(text: string, max: number, oneLine = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: folding control characters is the point
  const clean = oneLine ? text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() : text.trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
