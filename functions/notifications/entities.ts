import { randomBytes } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import {
  type NotificationCountView,
  type NotificationView,
  notificationKinds,
  notificationRetentionDays,
} from '#contract/notifications/notifications';
import { getByKeys } from '#functions/table/batch-get';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryFromCursor, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';

/**
 * A member's inbox in a workspace is a partition of its own,
 * `WS#<workspace>#INBOX#<email>`: the workspace's reads never step over
 * notifications, and a key built for one member cannot reach another's.
 *
 * - notification: `sk = N#<id>`, the id a UUID v7 (time first), so the
 *   partition reads newest first by key alone; listed in `gsi1` under the same
 *   partition name with `U#<id>` while unread and `R#<id>` once read, so
 *   unread first is one Query too.
 * - inbox: `sk = INBOX`, the unread counter and the email preference: the
 *   header's poll is one GetItem of it.
 */
export const inboxPk = (workspaceId: string, email: string) => `${workspacePk(workspaceId)}#INBOX#${email}`;
const notificationSk = (id: string) => `N#${id}`;
const unreadSk = (id: string) => `U#${id}`;
const readSk = (id: string) => `R#${id}`;
export const inboxKey = (workspaceId: string, email: string) => itemKey(inboxPk(workspaceId, email), 'INBOX');
const notificationKey = (workspaceId: string, email: string, id: string) =>
  itemKey(inboxPk(workspaceId, email), notificationSk(id));

const link = lazySchema(() =>
  z.discriminatedUnion('screen', [
    z.object({ screen: z.literal('overview'), params: z.record(z.string(), z.never()) }),
    z.object({ screen: z.literal('meeting'), params: z.object({ meetingId: z.string() }) }),
    z.object({ screen: z.literal('catalogueItem'), params: z.object({ itemId: z.string() }) }),
    z.object({ screen: z.literal('threshold'), params: z.object({ cycleId: z.string(), itemId: z.string() }) }),
    z.object({ screen: z.literal('issue'), params: z.object({ issueId: z.string() }) }),
  ]),
);

export const notifications = defineEntity({
  type: 'Notification',
  schema: lazySchema(() =>
    z.object({
      id: z.string(),
      workspaceId: z.string(),
      recipient: z.string(),
      kind: z.enum(notificationKinds),
      title: z.string(),
      text: z.string(),
      link,
      subjectId: z.string(),
      createdAt: z.string(),
      readAt: z.nullable(z.string()),
    }),
  ),
  keys: (notification) => {
    const pk = inboxPk(notification.workspaceId, notification.recipient);
    const listed = notification.readAt === null ? unreadSk(notification.id) : readSk(notification.id);
    return { ...itemKey(pk, notificationSk(notification.id)), ...indexKey(pk, listed) };
  },
}) satisfies { parse: (item: Record<string, unknown>) => NotificationView };

export const inboxes = defineEntity({
  type: 'Inbox',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      email: z.string(),
      unread: z._default(z.number(), 0),
      emailNotifications: z._default(z.boolean(), true),
    }),
  ),
  keys: (inbox) => inboxKey(inbox.workspaceId, inbox.email),
});

/** What an absent inbox item means: nothing unread, mail on (the default). */
export const countView = (item: Record<string, unknown> | undefined): NotificationCountView => {
  const inbox = item ? inboxes.parse(item) : undefined;
  // An unread notification that expired unread leaves the counter above the truth; never show less than none.
  return { unread: Math.max(0, inbox?.unread ?? 0), emailNotifications: inbox?.emailNotifications ?? true };
};

/**
 * A UUID v7: 48 bits of milliseconds, then 74 random bits. Ids sort by the
 * time they were made, which is what lets a notification's key be its id.
 */
export function timeOrderedId(at: Date): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Math.max(0, at.getTime()));
  for (let i = 0; i < 6; i += 1) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const expiresAt = (createdAt: string) => Math.floor(Date.parse(createdAt) / 1000) + notificationRetentionDays * 86_400;

/**
 * The two writes that deliver one notification: the notification itself
 * (part `notification`) and its recipient's unread counter (part
 * `unreadCount`), which creates the inbox item on the first notification.
 */
export function deliveryWrites(notification: NotificationView): TransactItem[] {
  return [
    named(
      'notification',
      notifications.put(notification, {
        extra: { expiresAt: expiresAt(notification.createdAt) },
        condition: 'attribute_not_exists(pk)',
      }),
    ),
    named('unreadCount', {
      Update: {
        TableName: tableName(),
        Key: inboxKey(notification.workspaceId, notification.recipient),
        UpdateExpression: 'SET #type = :type, workspaceId = :workspaceId, email = :email ADD unread :one',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':type': inboxes.type,
          ':workspaceId': notification.workspaceId,
          ':email': notification.recipient,
          ':one': 1,
        },
      },
    }),
  ];
}

/** A member's notifications, newest first or unread first (then read), a page at a time. */
export function notificationPage(
  workspaceId: string,
  email: string,
  order: 'unread' | 'newest',
  page: { limit: number; cursor?: string },
): Promise<Page<NotificationView>> {
  const pk = inboxPk(workspaceId, email);
  const input =
    order === 'newest'
      ? {
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': 'N#' },
          ScanIndexForward: false,
        }
      : {
          TableName: tableName(),
          IndexName: gsi1.name,
          KeyConditionExpression: `${gsi1.pk} = :pk`,
          ExpressionAttributeValues: { ':pk': pk },
          // `U#` sorts after `R#`: descending gives the unread ones first, each group newest first.
          ScanIndexForward: false,
        };
  return queryPage(input, page, notifications.parse);
}

/** The unread count and preference: one GetItem, eventually consistent unless asked (the header polls it). */
export async function getInbox(workspaceId: string, email: string, consistent = false): Promise<NotificationCountView> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: inboxKey(workspaceId, email), ConsistentRead: consistent }),
  );
  return countView(Item);
}

/** Named notifications and the inbox, read together (one consistent BatchGetItem). */
export async function getNotificationsAndInbox(workspaceId: string, email: string, ids: readonly string[]) {
  const found = await getByKeys([inboxKey(workspaceId, email), ...ids.map((id) => notificationKey(workspaceId, email, id))]);
  const items = ids.map((id) => {
    const item = found.get(notificationKey(workspaceId, email, id));
    return { id, notification: item ? notifications.parse(item) : undefined };
  });
  return { inbox: countView(found.get(inboxKey(workspaceId, email))), items };
}

/** Up to `limit` of the newest unread notifications, and whether there are more (from the index: may lag a moment). */
export async function newestUnread(workspaceId: string, email: string, limit: number) {
  const pk = inboxPk(workspaceId, email);
  const result = await queryFromCursor({
    TableName: tableName(),
    IndexName: gsi1.name,
    KeyConditionExpression: `${gsi1.pk} = :pk AND begins_with(${gsi1.sk}, :unread)`,
    ExpressionAttributeValues: { ':pk': pk, ':unread': 'U#' },
    ScanIndexForward: false,
    Limit: limit + 1,
  });
  const unread = (result.Items ?? []).map(notifications.parse);
  return { unread: unread.slice(0, limit), more: unread.length > limit };
}

/**
 * Marks one notification read (part `notification`), only while it is
 * unread: a twin request that marked it first makes this part fail.
 */
export function markReadUpdate(notification: NotificationView, now: string): TransactItem {
  return named('notification', {
    Update: {
      TableName: tableName(),
      Key: notificationKey(notification.workspaceId, notification.recipient, notification.id),
      UpdateExpression: 'SET readAt = :now, #listed = :read',
      ConditionExpression: '#listed = :unread',
      ExpressionAttributeNames: { '#listed': gsi1.sk },
      ExpressionAttributeValues: { ':now': now, ':read': readSk(notification.id), ':unread': unreadSk(notification.id) },
    },
  });
}

/** Takes `count` off the member's unread counter (part `unreadCount`). */
export function unreadCountDown(workspaceId: string, email: string, count: number): TransactItem {
  return named('unreadCount', {
    Update: {
      TableName: tableName(),
      Key: inboxKey(workspaceId, email),
      UpdateExpression: 'ADD unread :minus',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':minus': -count },
    },
  });
}

/** Sets the member's email preference, creating the inbox item if it is the first thing in it. */
export async function putEmailPreference(workspaceId: string, email: string, on: boolean): Promise<NotificationCountView> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: inboxKey(workspaceId, email),
      UpdateExpression:
        'SET #type = :type, workspaceId = :workspaceId, email = :email, emailNotifications = :on, unread = if_not_exists(unread, :zero)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': inboxes.type, ':workspaceId': workspaceId, ':email': email, ':on': on, ':zero': 0 },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return countView(Attributes);
}

/** The email preference of each recipient (default on), read with their workspace in one BatchGetItem. */
export async function emailPreferences(
  workspaceId: string,
  emails: readonly string[],
  extraKeys: { pk: string; sk: string }[] = [],
) {
  const found = await getByKeys([...extraKeys, ...emails.map((email) => inboxKey(workspaceId, email))]);
  return {
    wantsMail: (email: string) => countView(found.get(inboxKey(workspaceId, email))).emailNotifications,
    get: found.get,
  };
}
