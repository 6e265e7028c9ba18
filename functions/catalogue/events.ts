import type { Commitment } from '#contract/catalogue/commitments';
import type { Caller } from '#contract/views';
import { normaliseEmail } from '#contract/workspaces/members';
import { log } from '#functions/kernel/logger';
import { type NotificationBatch, notificationWrites } from '#functions/notifications/notify';

/** Something that happened to a commitment that someone should hear about. */
export type CommitmentEvent =
  | { kind: 'approval requested'; notify: 'operations approvers'; commitment: Commitment }
  | { kind: 'commitment approved' | 'commitment declined'; notify: string; commitment: Commitment }
  | { kind: 'approval withdrawn'; notify: 'operations approvers'; commitment: Commitment };

/**
 * What a change to a commitment means for the people around it: an approval
 * to ask for, a decision to tell the rep, a request withdrawn. Pure; the one
 * place where notifications hook in.
 */
export function commitmentEvents(before: Commitment | null, after: Commitment): CommitmentEvent[] {
  const was = before?.status ?? null;
  if (after.status === was) return [];
  if (after.status === 'awaiting approval')
    return [{ kind: 'approval requested', notify: 'operations approvers', commitment: after }];
  if (was !== 'awaiting approval') return [];
  if (after.status === 'approved') return [{ kind: 'commitment approved', notify: after.recordedBy, commitment: after }];
  if (after.status === 'declined') return [{ kind: 'commitment declined', notify: after.recordedBy, commitment: after }];
  return [{ kind: 'approval withdrawn', notify: 'operations approvers', commitment: after }];
}

/** Called once a change is stored, with what it means (see `commitmentEvents`); they are logged. */
export function announceCommitmentEvents(events: CommitmentEvent[]): CommitmentEvent[] {
  for (const event of events) {
    log.info('Commitment event', {
      kind: event.kind,
      notify: event.notify,
      workspaceId: event.commitment.workspaceId,
      commitmentId: event.commitment.id,
    });
  }
  return events;
}

/** DynamoDB's limit on the items of one transaction. */
const transactionItems = 100;

export interface NoticeContext {
  /** The workspace's operations managers and admins (`recipientsOf`), told of an approval requested. */
  approvers: readonly string[];
  actor: Pick<Caller, 'email' | 'name'>;
  now: string;
  /** The writes of the change's own transaction: notifications take only the items left of its 100. */
  ownWrites: number;
}

const noNotices: NotificationBatch = { writes: [], notifications: [] };

/**
 * The notifications of a change to a commitment, for the change's own
 * transaction: an approval requested goes to the approvers, a decision to the
 * rep who recorded it; nobody is told of their own act. Each recipient takes
 * two items, so a commitment whose transaction is long (many weeks of
 * capacity) tells only as many approvers as fit, the first in
 * `recipientsOf`'s order. A withdrawn request has no notification of its own.
 */
export function commitmentNotices(events: readonly CommitmentEvent[], context: NoticeContext): NotificationBatch {
  const actor = normaliseEmail(context.actor.email);
  const room = Math.max(0, Math.floor((transactionItems - context.ownWrites) / 2));
  for (const event of events) {
    const { commitment } = event;
    const link = { screen: 'catalogueItem', params: { itemId: commitment.itemId } } as const;
    const customer = commitment.customer ? ` for ${commitment.customer}` : '';
    if (event.kind === 'approval requested') {
      const recipients = context.approvers.filter((email) => normaliseEmail(email) !== actor).slice(0, room);
      if (recipients.length === 0) return noNotices;
      return notificationWrites({
        workspaceId: commitment.workspaceId,
        recipients,
        kind: event.kind,
        title: `Approve ${commitment.reference}: ${commitment.answer} on ${commitment.itemCode}`,
        text:
          `${commitment.recordedByName} promised ${commitment.quantity} of ${commitment.itemCode}${customer} ` +
          `for ${commitment.promisedDate} on a "${commitment.answer}" promise-check answer. ` +
          'It holds its capacity and waits for an operations manager to approve or decline it.',
        link,
        subjectId: commitment.id,
        now: context.now,
      });
    }
    if (event.kind === 'commitment approved' || event.kind === 'commitment declined') {
      if (normaliseEmail(event.notify) === actor || room === 0) return noNotices;
      const verb = event.kind === 'commitment approved' ? 'approved' : 'declined';
      const reason = commitment.decisionReason ? `Reason: ${commitment.decisionReason}` : 'No reason was given.';
      const after =
        event.kind === 'commitment approved'
          ? 'The promise stands; keep the customer’s date.'
          : 'Its capacity was given back; tell the customer and check another date.';
      return notificationWrites({
        workspaceId: commitment.workspaceId,
        recipients: [event.notify],
        kind: event.kind,
        title: `${commitment.reference} on ${commitment.itemCode} ${verb}`,
        text: [
          `${context.actor.name} ${verb} your commitment of ${commitment.quantity}${customer} for ${commitment.promisedDate}.`,
          reason,
          after,
        ].join('\n'),
        link,
        subjectId: commitment.id,
        now: context.now,
      });
    }
  }
  return noNotices;
}

/**
 * The approvers' notification of an order whose lines await approval: one
 * per approver for the whole order (a transaction touches each inbox once),
 * about its first line awaiting approval; the others are in its text and in
 * the approvals list.
 */
export function orderApprovalNotices(awaiting: readonly Commitment[], context: NoticeContext): NotificationBatch {
  const [first] = awaiting;
  if (!first) return noNotices;
  if (awaiting.length === 1) return commitmentNotices(commitmentEvents(null, first), context);
  const actor = normaliseEmail(context.actor.email);
  const room = Math.max(0, Math.floor((transactionItems - context.ownWrites) / 2));
  const recipients = context.approvers.filter((email) => normaliseEmail(email) !== actor).slice(0, room);
  if (recipients.length === 0) return noNotices;
  const customer = first.customer ? ` for ${first.customer}` : '';
  return notificationWrites({
    workspaceId: first.workspaceId,
    recipients,
    kind: 'approval requested',
    title: `Approve order ${first.reference}: ${awaiting.length} lines wait`,
    text: [
      `${first.recordedByName} recorded order ${first.reference}${customer}; these lines wait for an operations manager:`,
      ...awaiting.map((line) => `- ${line.quantity} of ${line.itemCode} for ${line.promisedDate} on a "${line.answer}" answer`),
    ].join('\n'),
    link: { screen: 'catalogueItem', params: { itemId: first.itemId } },
    subjectId: first.id,
    now: context.now,
  });
}
