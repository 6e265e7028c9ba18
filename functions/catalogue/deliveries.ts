import { randomUUID } from 'node:crypto';
import { type Commitment, type CommitmentView, commitmentView } from '#contract/catalogue/commitments';
import { type Delivery, deliveryEffect, deliveryRefusal } from '#contract/catalogue/deliveries';
import { keptScopesOf } from '#contract/catalogue/kept-rate';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { weekOf } from '#contract/working-days';
import { leadTimeOccurrenceWrites } from '#functions/misalignment/lead-time';
import { agreedSk, itemCollectionPk } from '#functions/portfolio/item-collection';
import { auditPut } from '#functions/table/audit-trail';
import { getByKeys } from '#functions/table/batch-get';
import { transactWriteUnderContention } from '#functions/table/contention';
import { itemKey } from '#functions/table/entity';
import { type TransactItem, TransactionConditionFailed } from '#functions/table/transactions';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { currencyOfAgreed, deliveryApplied, keptCounterAdd } from './deliveries-entities';
import { commitmentKey, commitmentPut, toCommitment } from './entities';

type Actor = Pick<Caller, 'email' | 'name'>;

/** How many times a delivery is worked out again after another change to its commitment won the race. */
const maxAttempts = 8;

export interface DeliveryContext {
  actor: Actor;
  now: string;
  today: string;
  allowOverDelivery: boolean;
  /** Identifies the delivery: the ERP's delivery reference or the row's content hash, or a new id by hand. */
  key: string;
  source: 'hand' | 'import';
}

/** A commitment and the currency its item's agreed threshold counts in: one BatchGetItem. */
export async function readForDelivery(workspaceId: string, itemId: string, commitmentId: string) {
  const commitment = commitmentKey(workspaceId, itemId, commitmentId);
  const agreed = itemKey(itemCollectionPk(workspaceId, itemId), agreedSk);
  const found = await getByKeys([commitment, agreed]);
  const item = found.get(commitment);
  return { commitment: item ? toCommitment(item) : undefined, currency: currencyOfAgreed(found.get(agreed)) };
}

function occurrenceNotes(before: Commitment, delivery: Delivery): string {
  if (delivery.kind === 'missed') {
    const note = delivery.note ? `: ${delivery.note}` : '';
    return `Missed the promise of ${before.quantity} for ${before.promisedDate} (${delivery.reason}${note}), recorded ${delivery.date}.`;
  }
  return `Delivered ${delivery.quantity} of ${before.quantity} on ${delivery.date}, after the promised ${before.promisedDate}.`;
}

/**
 * The writes of one delivery: the commitment (conditional on its version),
 * the delivery's own record (once per key), the kept counters of each scope
 * for the commitment's first outcome, and, for a late or missed delivery,
 * the lead-time occurrence linked both ways, exactly as a beyond commitment
 * logs one; its cost is what the delivery record carries, else empty.
 */
export function deliveryWrites(before: Commitment, delivery: Delivery, currency: string, context: DeliveryContext) {
  const refusal = deliveryRefusal(before, delivery, { today: context.today, allowOverDelivery: context.allowOverDelivery });
  if (refusal) return { ok: false, refusal } as const;
  const effect = deliveryEffect(before, delivery);
  const occurrence = effect.logsOccurrence
    ? leadTimeOccurrenceWrites({
        workspaceId: before.workspaceId,
        itemId: before.itemId,
        cycleId: before.thresholdCycleId,
        commitment: {
          id: before.id,
          reference: before.reference,
          occurredOn: delivery.date,
          cost: delivery.cost ?? {},
          currency,
          itemLabel: before.itemCode,
          detectedAt: 'delivery',
          notes: occurrenceNotes(before, delivery),
        },
        actor: context.actor,
        now: context.now,
      })
    : null;
  const after: Commitment = {
    ...before,
    status: effect.status,
    deliveredQuantity: effect.deliveredQuantity,
    deliveredAt: delivery.kind === 'delivered' ? delivery.date : (before.deliveredAt ?? null),
    missedReason: delivery.kind === 'missed' ? delivery.reason : (before.missedReason ?? null),
    missedNote: delivery.kind === 'missed' ? (delivery.note ?? null) : (before.missedNote ?? null),
    leadTimeIssueId: before.leadTimeIssueId ?? occurrence?.issueId ?? null,
    deliveryOccurrenceId: occurrence?.occurrence.id ?? before.deliveryOccurrenceId ?? null,
    updatedAt: context.now,
    version: before.version + 1,
  };
  const kept = effect.kept;
  const week = weekOf(before.promisedDate);
  const writes: TransactItem[] = [
    commitmentPut(after, before.version),
    deliveryApplied(before.workspaceId, before.id, context.key, {
      commitmentId: before.id,
      itemId: before.itemId,
      ...delivery,
      source: context.source,
      recordedBy: context.actor.email,
      recordedAt: context.now,
    }),
    ...(kept
      ? keptScopesOf(before).map(({ scope, scopeId }) => keptCounterAdd(before.workspaceId, scope, scopeId, week, kept))
      : []),
    ...(occurrence?.items ?? []),
    auditPut({
      workspaceId: before.workspaceId,
      actor: context.actor,
      action: delivery.kind === 'missed' ? 'commitment.missed' : 'commitment.delivered',
      entity: 'commitment',
      entityId: before.id,
      before,
      after,
      at: context.now,
    }),
  ];
  return { ok: true, after, writes, occurrenceId: occurrence?.occurrence.id ?? null } as const;
}

export type ApplyOutcome =
  | { kind: 'applied'; commitment: Commitment }
  | { kind: 'already applied' }
  | { kind: 'refused'; refusal: Refused['refusal']; current: Commitment };

/**
 * Applies one delivery to a commitment read as `first`: when another change
 * to the commitment wins the race (its version moved), the delivery is worked
 * out again on the commitment as it is now, so racing deliveries add up and a
 * delivery after a cancellation is refused.
 */
export async function applyDelivery(
  first: { commitment: Commitment; currency: string },
  delivery: Delivery,
  context: DeliveryContext,
): Promise<ApplyOutcome> {
  let current = first.commitment;
  for (let attempt = 1; ; attempt += 1) {
    const built = deliveryWrites(current, delivery, first.currency, context);
    if (!built.ok) return { kind: 'refused', refusal: built.refusal, current };
    try {
      // The lead-time issue and the kept counters are shared by many commitments: a cancelled transaction is retried.
      await transactWriteUnderContention(built.writes);
      return { kind: 'applied', commitment: built.after };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.part === 'delivery') return { kind: 'already applied' };
      if (error.part === 'issue') {
        throw refuse.conflict(
          `The lead-time issue of ${current.itemCode} counts its cost in ${String(error.current?.currency)}, not ${first.currency}; nothing was recorded`,
        );
      }
      if (error.part !== 'commitment' || !error.current) throw error;
      current = toCommitment(error.current);
      if (attempt >= maxAttempts) {
        // Many deliveries to one commitment at once: this one wrote nothing and says so, by hand a 409, in an import its row.
        const busy = refuse.conflict(
          'Other deliveries to this commitment were being recorded at the same moment; nothing was recorded from this one: send it again',
        );
        return { kind: 'refused', refusal: busy.refusal, current };
      }
    }
  }
}

/** Names the body field of a policy's refusal, as the API answers it. */
const inBody = (refusal: Refused['refusal']) => (refusal.field ? { ...refusal, field: `body.${refusal.field}` } : refusal);

/** What an operations manager records by hand: a delivered quantity, or a miss with its reason. */
export async function recordDelivery(
  input: { workspaceId: string; itemId: string; commitmentId: string },
  delivery: Delivery,
  options: { allowOverDelivery: boolean },
  actor: Caller,
  now: string,
): Promise<CommitmentView> {
  const [read, today] = await Promise.all([
    readForDelivery(input.workspaceId, input.itemId, input.commitmentId),
    workspaceToday(input.workspaceId, now),
  ]);
  if (!read.commitment) throw refuse.notFound('Commitment not found');
  const outcome = await applyDelivery({ commitment: read.commitment, currency: read.currency }, delivery, {
    actor,
    now,
    today,
    allowOverDelivery: options.allowOverDelivery,
    key: randomUUID(),
    source: 'hand',
  });
  if (outcome.kind === 'refused') {
    const refusal = inBody(outcome.refusal);
    throw new Refused(refusal.kind === 'conflict' ? { ...refusal, details: { current: outcome.current } } : refusal);
  }
  if (outcome.kind === 'already applied') throw refuse.conflict('This delivery was recorded already');
  return commitmentView(outcome.commitment, today);
}
