import { approvalRecheck, type CommitmentImpact, flexLimitOf, impactWeeks } from '#contract/catalogue/approval';
import { type Commitment, type CommitmentView, commitmentView } from '#contract/catalogue/commitments';
import { commitmentDecisionRefusal } from '#contract/catalogue/policies';
import type { NotificationView } from '#contract/notifications/notifications';
import { Refused, refuse } from '#contract/refusal';
import { compareText } from '#contract/text-order';
import type { Caller, MemberView } from '#contract/views';
import { weekOf } from '#contract/working-days';
import { auditPut } from '#functions/table/audit-trail';
import type { Page } from '#functions/table/pages';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { agreedUnchanged, bucketGiveBack, commitmentPut, toCommitment } from './entities';
import {
  approvalMarkerPut,
  bucketWithin,
  queryApprovals,
  readCommitmentAndAgreed,
  readImpactCollection,
} from './entities-approvals';
import { announceCommitmentEvents, commitmentEvents, commitmentNotices } from './events';

interface DecisionInput {
  workspaceId: string;
  itemId: string;
  commitmentId: string;
  reason?: string;
  expectedVersion: number;
}

/** The commitment and its agreed threshold, read beside the caller's membership; refuses who may not decide. */
async function readForDecision(input: DecisionInput, membership: Promise<MemberView>, now: string) {
  const [read, today] = await Promise.all([
    readCommitmentAndAgreed(input.workspaceId, input.itemId, input.commitmentId),
    workspaceToday(input.workspaceId, now),
  ]);
  const before = read.commitment;
  if (!before) throw refuse.notFound('Commitment not found');
  const refusal = commitmentDecisionRefusal(before, await membership);
  if (refusal) throw new Refused(refusal.kind === 'conflict' ? { ...refusal, details: { current: before } } : refusal);
  if (before.version !== input.expectedVersion) {
    throw refuse.conflict(`The commitment changed since version ${input.expectedVersion}`, { current: before });
  }
  return { before, published: read.published, today };
}

function decided(
  before: Commitment,
  status: 'approved' | 'declined',
  input: DecisionInput,
  actor: Caller,
  now: string,
): Commitment {
  return {
    ...before,
    status,
    decidedBy: actor.email,
    decidedByName: actor.name,
    decidedAt: now,
    decisionReason: input.reason ? input.reason : null,
    timeToDecisionMs: Math.max(0, Date.parse(now) - Date.parse(before.createdAt)),
    updatedAt: now,
    version: before.version + 1,
  };
}

/** A decision as stored, with the notification telling the rep (mail it after). */
export interface Decided {
  commitment: CommitmentView;
  notifications: NotificationView[];
}

/**
 * Stores a decision and, in its transaction, the notification that tells the
 * rep who recorded the commitment; a racing decision or change on the same
 * commitment loses on its version (409).
 */
async function storeDecision(
  before: Commitment,
  after: Commitment,
  writes: TransactItem[],
  actor: Caller,
  now: string,
): Promise<NotificationView[]> {
  const items: TransactItem[] = [
    commitmentPut(after, before.version),
    approvalMarkerPut(after),
    ...writes,
    auditPut({
      workspaceId: after.workspaceId,
      actor,
      action: `commitment.${after.status}`,
      entity: 'commitment',
      entityId: after.id,
      before,
      after,
      at: now,
    }),
  ];
  const events = commitmentEvents(before, after);
  const notices = commitmentNotices(events, { approvers: [], actor, now, ownWrites: items.length });
  try {
    await transactWrite([...items, ...notices.writes]);
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    if (error.part === 'commitment') {
      throw refuse.conflict('The commitment changed meanwhile', {
        current: error.current ? toCommitment(error.current) : undefined,
      });
    }
    if (error.part === 'agreed') {
      throw refuse.conflict('The agreed threshold changed while approving; look at the commitment again');
    }
    if (error.part?.startsWith('week:')) {
      throw refuse.conflict(`Capacity no longer fits: the ${error.part.slice(5)} week is past the flex band now`);
    }
    throw error;
  }
  announceCommitmentEvents(events);
  return notices.notifications;
}

/**
 * Approves a commitment awaiting approval (see `commitmentDecisionRefusal`
 * for who may). A flex commitment is checked again against the agreed
 * threshold as it is now (`approvalRecheck`), and the transaction holds only
 * if that threshold and every week it took capacity from are still as
 * checked: the agreed version unchanged and each week within the flex band.
 * A beyond commitment was recorded past the threshold on purpose, logged as
 * a lead-time occurrence; approving it is operations accepting that.
 */
export async function approveCommitment(
  input: DecisionInput,
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<Decided> {
  const { workspaceId, itemId } = input;
  const { before, published, today } = await readForDecision(input, membership, now);
  const writes: TransactItem[] = [];
  if (before.answer !== 'beyond') {
    if (!published || published.archived) throw refuse.conflict('The item no longer has an agreed threshold that takes promises');
    const recordedOn = await workspaceToday(workspaceId, before.createdAt);
    // The weeks hold this commitment's own share already: each must stay within the flex band with it.
    const limit = flexLimitOf(published.agreed.terms);
    // Its weeks are held to the flex band by the transaction's conditions, not by a read.
    const problem = approvalRecheck(published.agreed, before, recordedOn, {});
    if (problem) throw refuse.conflict(`The agreed threshold no longer allows this commitment: ${problem}`, { current: before });
    writes.push(
      agreedUnchanged(workspaceId, itemId, published.version),
      ...before.allocation.map((part) => bucketWithin(workspaceId, itemId, part.week, limit)),
    );
  }
  const after = decided(before, 'approved', input, actor, now);
  const notifications = await storeDecision(before, after, writes, actor, now);
  return { commitment: commitmentView(after, today), notifications };
}

/** Declines a commitment awaiting approval and gives back exactly the capacity it took, as cancelling does. */
export async function declineCommitment(
  input: DecisionInput,
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<Decided> {
  const { workspaceId, itemId } = input;
  const { before, today } = await readForDecision(input, membership, now);
  const after = decided(before, 'declined', input, actor, now);
  const notifications = await storeDecision(
    before,
    after,
    before.allocation.map((part) => bucketGiveBack(workspaceId, itemId, part.week, part.quantity)),
    actor,
    now,
  );
  return { commitment: commitmentView(after, today), notifications };
}

/**
 * What a commitment does to its weeks: per week what it takes and what the
 * flex band has left, and the other commitments holding capacity in those
 * weeks. One Query of the item's collection (see `readImpactCollection`).
 */
export async function commitmentImpact(
  input: { workspaceId: string; itemId: string; commitmentId: string },
  now: string,
): Promise<CommitmentImpact> {
  const today = await workspaceToday(input.workspaceId, now);
  const { buckets, commitments, published } = await readImpactCollection(
    input.workspaceId,
    input.itemId,
    input.commitmentId,
    weekOf(today),
  );
  const commitment = commitments.find((found) => found.id === input.commitmentId);
  if (!commitment) throw refuse.notFound('Commitment not found');
  if (!published) throw refuse.notFound('This item has no agreed threshold');
  const committed = Object.fromEntries(buckets.map((bucket) => [bucket.week, bucket.committed]));
  const weeks = new Set(commitment.allocation.map((part) => part.week));
  const others = commitments
    .filter((other) => other.id !== commitment.id && other.status !== 'declined' && other.status !== 'cancelled')
    .map((other) => ({
      ...commitmentView(other, today),
      inWeeks: other.allocation.filter((part) => weeks.has(part.week)),
    }))
    .filter((other) => other.inWeeks.length > 0)
    .sort((a, b) => compareText(a.promisedDate, b.promisedDate));
  return {
    commitment: commitmentView(commitment, today),
    thresholdVersion: published.agreed.version,
    unit: published.agreed.unit,
    weeks: impactWeeks(published.agreed.terms, commitment, committed),
    others,
  };
}

/** Commitments awaiting approval in the workspace, or those the caller recorded that needed approval, a page at a time. */
export async function listCommitmentApprovals(
  workspaceId: string,
  show: 'awaiting' | 'mine',
  caller: Caller,
  page: { limit: number; cursor?: string },
  now: string,
): Promise<Page<CommitmentView>> {
  const [found, today] = await Promise.all([
    queryApprovals(workspaceId, show === 'awaiting' ? { kind: 'awaiting' } : { kind: 'mine', email: caller.email }, page),
    workspaceToday(workspaceId, now),
  ]);
  return { ...found, items: found.items.map((commitment) => commitmentView(commitment, today)) };
}
