import { randomUUID } from 'node:crypto';
import { needsApproval } from '#contract/catalogue/approval';
import {
  beyondCostEstimate,
  type Commitment,
  type CommitmentView,
  commitmentFlexCost,
  commitmentView,
} from '#contract/catalogue/commitments';
import { commitmentCancelRefusal, commitmentDateRefusal, commitmentWeeksRefusal } from '#contract/catalogue/policies';
import { allocate, type PromiseAnswer } from '#contract/catalogue/promise';
import type { NotificationView } from '#contract/notifications/notifications';
import { Refused, refuse } from '#contract/refusal';
import type { ThresholdTerms } from '#contract/thresholds/thresholds';
import type { Caller, MemberView } from '#contract/views';
import { leadTimeOccurrenceWrites } from '#functions/misalignment/lead-time';
import { recipientsOf } from '#functions/notifications/notify';
import { auditPut } from '#functions/table/audit-trail';
import { transactWriteUnderContention } from '#functions/table/contention';
import type { Page } from '#functions/table/pages';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { commitmentDeliveryIndexWrites } from './deliveries-entities';
import {
  agreedUnchanged,
  bucketGiveBack,
  bucketTake,
  commitmentPut,
  findCommitment,
  newCommitmentPut,
  queryItemCommitments,
  toCommitment,
} from './entities';
import { approvalMarkerPut } from './entities-approvals';
import { announceCommitmentEvents, commitmentEvents, commitmentNotices } from './events';
import { answerCheck, promiseCheck } from './promise-check';
import { freshApprovalBands } from './workspace-day';

/**
 * Largest number of weeks one commitment may take capacity from. A
 * transaction holds at most 100 writes: the threshold check, the week
 * buckets, the commitment, the lead-time occurrence's writes (issue, its
 * day, occurrence, its audit event) and the audit event stay under it.
 */
const maxAllocationWeeks = 80;

/**
 * A commitment made on a `beyond` answer is a lead-time misalignment: the
 * misalignment area logs an occurrence of the item's "lead time" issue of the
 * threshold's cycle (created when missing), linked to the commitment, in the
 * commitment's own transaction, so both are stored or neither. Its cost is
 * estimated from the threshold's flex costs (see `beyondCostEstimate`).
 */
function leadTimeOccurrence(
  commitment: Commitment,
  answer: PromiseAnswer,
  context: { terms: ThresholdTerms; actor: Pick<Caller, 'email' | 'name'>; now: string; today: string },
) {
  const estimate = beyondCostEstimate(context.terms, answer);
  return leadTimeOccurrenceWrites({
    workspaceId: commitment.workspaceId,
    itemId: commitment.itemId,
    cycleId: commitment.thresholdCycleId,
    commitment: {
      id: commitment.id,
      reference: commitment.reference,
      occurredOn: context.today,
      cost: estimate.cost,
      currency: estimate.currency,
      itemLabel: commitment.itemCode,
      notes:
        `Committed ${commitment.quantity} for ${commitment.promisedDate} on a "beyond" promise-check answer ` +
        `(threshold v${commitment.thresholdVersion}). Cost estimated from the flex costs: ` +
        `overtime on ${estimate.unitsOver} units above free normal capacity plus the setup cost; no expedite fee.`,
    },
    actor: context.actor,
    now: context.now,
  });
}

/** What a rep records: the promise to a customer, on the date checked (`deliveryDate`, the promised date). */
export interface CommitmentInput {
  workspaceId: string;
  itemId: string;
  reference: string;
  quantity: number;
  deliveryDate: string;
  requestedDate?: string;
  orderValue?: number | null;
  customer?: string | null;
}

/**
 * Records a commitment: checks again, takes capacity week by week (see
 * `allocate`) and stores the commitment, all in one transaction conditional
 * on the buckets and the agreed threshold being as read. A commitment on a
 * beyond answer is recorded too, as `answer: 'beyond'`, with the lead-time
 * occurrence that logs it as a misalignment.
 */
export async function recordCommitment(
  input: CommitmentInput,
  actor: Caller,
  now: string,
): Promise<{ commitment: CommitmentView; answer: PromiseAnswer; notifications: NotificationView[] }> {
  const { workspaceId, itemId } = input;
  // Who approves is read beside the check's own read, which brings the workspace's approval bands fresh.
  const approvers = recipientsOf(workspaceId, { functions: ['operations'], roles: ['manager', 'admin'], except: [actor.email] });
  approvers.catch(() => undefined);
  const { collection, answer, workspace } = await answerCheck(
    workspaceId,
    itemId,
    { quantity: input.quantity, deliveryDate: input.deliveryDate, orderValue: input.orderValue ?? null },
    now,
    { date: 'body.deliveryDate', quantity: 'body.quantity' },
    (today) => commitmentDateRefusal(input.deliveryDate, today),
    true,
  );
  const today = workspace.today;
  const approvalBands = freshApprovalBands(workspace);
  const allocation = allocate(collection.agreed.terms, collection.committed, today, input.deliveryDate, input.quantity);
  const tooLong = commitmentWeeksRefusal(allocation.length, maxAllocationWeeks);
  if (tooLong) throw new Refused(tooLong);
  const commitment = newCommitmentRecord({
    workspaceId,
    itemId,
    agreed: collection.agreed,
    reference: input.reference,
    customer: input.customer,
    quantity: input.quantity,
    requestedDate: input.requestedDate,
    promisedDate: input.deliveryDate,
    orderValue: input.orderValue,
    answer,
    allocation,
    approvalBands,
    actor,
    now,
  });
  const leadTime =
    answer.band === 'beyond'
      ? leadTimeOccurrence(commitment, answer, { terms: collection.agreed.terms, actor, now, today })
      : null;
  commitment.leadTimeIssueId = leadTime?.issueId ?? null;
  commitment.occurrenceId = leadTime?.occurrence.id ?? null;
  const writes: TransactItem[] = [
    agreedUnchanged(workspaceId, itemId, collection.agreedVersion),
    ...allocation.map((part) => bucketTake(workspaceId, itemId, part.week, part.quantity, collection.bucketVersions[part.week])),
    newCommitmentPut(commitment),
    ...(commitment.status === 'awaiting approval' ? [approvalMarkerPut(commitment)] : []),
    ...commitmentDeliveryIndexWrites(commitment),
    ...(leadTime?.items ?? []),
    auditPut({
      workspaceId,
      actor,
      action: 'commitment.recorded',
      entity: 'commitment',
      entityId: commitment.id,
      after: commitment,
      at: now,
    }),
  ];
  const events = commitmentEvents(null, commitment);
  const notices = commitmentNotices(events, {
    approvers: events.length > 0 ? await approvers : [],
    actor,
    now,
    ownWrites: writes.length,
  });
  writes.push(...notices.writes);
  try {
    // The lead-time issue is shared by every beyond commitment of the item and
    // cycle: a transaction cancelled by a concurrent one on it is retried.
    await transactWriteUnderContention(writes);
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    // The lead-time occurrence's `issue` part: the item's issue of this cycle counts in another currency.
    if (leadTime && error.part === 'issue') {
      throw refuse.conflict(
        `The lead-time issue of ${commitment.itemCode} counts its cost in ${String(error.current?.currency)}, not ${collection.agreed.terms.currency}; nothing was recorded`,
      );
    }
    const current = await promiseCheck(workspaceId, itemId, { quantity: input.quantity, deliveryDate: input.deliveryDate }, now);
    throw refuse.conflict('Capacity or the agreed threshold changed while recording; here is the check as it is now', {
      current,
    });
  }
  announceCommitmentEvents(events);
  return { commitment: commitmentView(commitment, today), answer, notifications: notices.notifications };
}

export async function getCommitment(workspaceId: string, itemId: string, commitmentId: string): Promise<Commitment> {
  const commitment = await findCommitment(workspaceId, itemId, commitmentId);
  if (!commitment) throw refuse.notFound('Commitment not found');
  return commitment;
}

/**
 * Cancels a commitment and gives its capacity back to the weeks it took it
 * from; whoever recorded it, or a manager, may (see `commitmentCancelRefusal`).
 */
export async function cancelCommitment(
  input: { workspaceId: string; itemId: string; commitmentId: string; expectedVersion: number },
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<CommitmentView> {
  const { workspaceId, itemId } = input;
  const [before, today] = await Promise.all([
    getCommitment(workspaceId, itemId, input.commitmentId),
    workspaceToday(workspaceId, now),
  ]);
  // Who may cancel depends on who asks: known now, read beside the commitment.
  const refusal = commitmentCancelRefusal(before, await membership);
  if (refusal) throw new Refused(refusal.kind === 'conflict' ? { ...refusal, details: { current: before } } : refusal);
  if (before.version !== input.expectedVersion) {
    throw refuse.conflict(`The commitment changed since version ${input.expectedVersion}`, { current: before });
  }
  const after: Commitment = {
    ...before,
    status: 'cancelled',
    cancelledBy: actor.email,
    cancelledAt: now,
    updatedAt: now,
    version: before.version + 1,
  };
  try {
    await transactWrite([
      commitmentPut(after, input.expectedVersion),
      ...before.allocation.map((part) => bucketGiveBack(workspaceId, itemId, part.week, part.quantity)),
      // A commitment that needed approval is also in the approval lists.
      ...(before.status === 'awaiting approval' || before.decidedAt !== null ? [approvalMarkerPut(after)] : []),
      auditPut({
        workspaceId,
        actor,
        action: 'commitment.cancelled',
        entity: 'commitment',
        entityId: before.id,
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'commitment') {
      throw refuse.conflict('The commitment changed meanwhile', {
        current: error.current ? toCommitment(error.current) : undefined,
      });
    }
    throw error;
  }
  announceCommitmentEvents(commitmentEvents(before, after));
  return commitmentView(after, today);
}

/** Commitments on one item, one page at a time. */
export async function listItemCommitments(
  workspaceId: string,
  itemId: string,
  page: { limit: number; cursor?: string },
  now: string,
): Promise<Page<CommitmentView>> {
  const [found, today] = await Promise.all([queryItemCommitments(workspaceId, itemId, page), workspaceToday(workspaceId, now)]);
  return { ...found, items: found.items.map((commitment) => commitmentView(commitment, today)) };
}

/** A commitment as recorded, before any decision or delivery: one shape for a single promise and an order's lines. */
export function newCommitmentRecord(input: {
  workspaceId: string;
  itemId: string;
  agreed: { itemCode: string; cycleId: string; version: number };
  reference: string;
  customer?: string | null;
  quantity: number;
  requestedDate?: string;
  promisedDate: string;
  orderValue?: number | null;
  answer: PromiseAnswer;
  allocation: Commitment['allocation'];
  approvalBands: Parameters<typeof needsApproval>[1];
  actor: Caller;
  now: string;
}): Commitment {
  return {
    id: randomUUID(),
    workspaceId: input.workspaceId,
    itemId: input.itemId,
    itemCode: input.agreed.itemCode,
    reference: input.reference,
    customer: input.customer ?? null,
    quantity: input.quantity,
    requestedDate: input.requestedDate ?? input.promisedDate,
    promisedDate: input.promisedDate,
    orderValue: input.orderValue ?? null,
    answer: input.answer.band,
    flexCost: commitmentFlexCost(input.answer),
    thresholdCycleId: input.agreed.cycleId,
    thresholdVersion: input.agreed.version,
    allocation: input.allocation,
    leadTimeIssueId: null,
    occurrenceId: null,
    status: needsApproval(input.answer.band, input.approvalBands) ? 'awaiting approval' : 'approved',
    recordedBy: input.actor.email,
    recordedByName: input.actor.name,
    createdAt: input.now,
    deliveredQuantity: 0,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    decisionReason: null,
    timeToDecisionMs: null,
    cancelledBy: null,
    cancelledAt: null,
    updatedAt: input.now,
    version: 1,
  };
}
