import {
  fitText,
  maxNotificationText,
  maxNotificationTitle,
  maxRecipientsPerWrite,
  type NotificationKind,
  type NotificationLink,
  type NotificationView,
} from '#contract/notifications/notifications';
import { compareText } from '#contract/text-order';
import { type MemberFunction, type MemberRole, normaliseEmail } from '#contract/workspaces/members';
import type { TransactItem } from '#functions/table/transactions';
import { listMembers } from '#functions/workspaces/entities';
import { deliveryWrites, timeOrderedId } from './entities';

/**
 * How other areas notify members (docs/notifications.md). A producer puts
 * the writes of {@link notificationWrites} into the transaction of the change
 * it notifies about, so a decision and its notifications are stored together
 * or not at all, then mails the same notifications with
 * `sendNotificationMail` (mail.ts) once it is stored.
 * Nothing here needs a request: a scheduled job notifies the same way.
 */
export interface NotificationInput {
  workspaceId: string;
  /** Members by email; duplicates count once. At most {@link maxRecipientsPerWrite}. */
  recipients: readonly string[];
  kind: NotificationKind;
  /** One line; longer text is shortened to {@link maxNotificationTitle} characters. */
  title: string;
  /** Plain text; shortened to {@link maxNotificationText} characters. */
  text: string;
  link: NotificationLink;
  /** The record the notification is about. */
  subjectId: string;
  /** The moment of the change (ISO); a notification is as old as what it tells. */
  now: string;
}

export interface NotificationBatch {
  /** Two named parts per recipient: `notification` and `unreadCount`. */
  writes: TransactItem[];
  /** What is stored, one per recipient: hand them to `sendNotificationMail` after the transaction. */
  notifications: NotificationView[];
}

/**
 * The writes that notify each recipient once, for the producer's own
 * transaction. More than {@link maxRecipientsPerWrite} recipients is a bug of
 * the producer (its transaction must fit DynamoDB's 100 items): it throws
 * before anything is written. No recipient means no writes.
 */
export function notificationWrites(input: NotificationInput): NotificationBatch {
  const recipients = [...new Set(input.recipients.map(normaliseEmail))];
  if (recipients.length > maxRecipientsPerWrite) {
    throw new Error(`A notification goes to at most ${maxRecipientsPerWrite} members at once, not ${recipients.length}`);
  }
  const at = new Date(input.now);
  const notifications = recipients.map(
    (recipient): NotificationView => ({
      id: timeOrderedId(at),
      workspaceId: input.workspaceId,
      recipient,
      kind: input.kind,
      title: fitText(input.title, maxNotificationTitle, true),
      text: fitText(input.text, maxNotificationText),
      link: input.link,
      subjectId: input.subjectId,
      createdAt: input.now,
      readAt: null,
    }),
  );
  return { writes: notifications.flatMap(deliveryWrites), notifications };
}

/** Who a notification goes to, by function and role; `except` leaves people out (the one who acted). */
export interface RecipientRule {
  functions?: readonly MemberFunction[];
  roles?: readonly MemberRole[];
  except?: readonly string[];
}

/**
 * The members a rule names (e.g. operations managers and admins), read once,
 * admins last and then by email, at most {@link maxRecipientsPerWrite}: a
 * workspace with more such members notifies the first of them.
 */
export async function recipientsOf(workspaceId: string, rule: RecipientRule): Promise<string[]> {
  const except = new Set((rule.except ?? []).map(normaliseEmail));
  const chosen = (await listMembers(workspaceId)).filter(
    (member) =>
      (!rule.functions || rule.functions.includes(member.function)) &&
      (!rule.roles || rule.roles.includes(member.role)) &&
      !except.has(normaliseEmail(member.email)),
  );
  const rank = (role: MemberRole) => (role === 'admin' ? 1 : 0);
  return chosen
    .sort((a, b) => rank(a.role) - rank(b.role) || compareText(a.email, b.email))
    .slice(0, maxRecipientsPerWrite)
    .map((member) => member.email);
}
