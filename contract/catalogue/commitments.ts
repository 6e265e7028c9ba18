import type { ThresholdTerms } from '#contract/thresholds/thresholds';
import type { PromiseAnswer, PromiseBand } from './promise';

/**
 * A commitment a rep made to a customer after a promise check: the whole
 * promise (what the customer asked for, what was promised, at what band and
 * cost, under which threshold version) and where it stands. It holds the
 * capacity it took per week, so cancelling or declining gives back exactly that.
 *
 * States: `awaiting approval` → `approved` | `declined`; an approved (or
 * awaiting) commitment ends `delivered` or `missed`, or is `cancelled`.
 * Commitments stored before approval existed say `active`, read as `approved`.
 */
export const commitmentStatuses = ['awaiting approval', 'approved', 'declined', 'delivered', 'missed', 'cancelled'] as const;
export type CommitmentStatus = (typeof commitmentStatuses)[number];

/** States in which a commitment holds capacity in its weeks. */
export const capacityHoldingStatuses: readonly CommitmentStatus[] = ['awaiting approval', 'approved'];

/** The extra cost of a flex promise as the check priced it when the commitment was recorded. */
export interface CommitmentFlexCost {
  /** Expedite fee; null when the lead time was shortened but no order value was given. */
  expedite: number | null;
  overtime: number;
  setup: number;
  total: number;
  currency: string;
}

export interface Commitment {
  id: string;
  workspaceId: string;
  itemId: string;
  itemCode: string;
  /** The reference an ERP matches deliveries on (an order number). */
  reference: string;
  /** The customer or deal the promise was made to; null when not given. */
  customer: string | null;
  quantity: number;
  /** The date the customer asked for; the promised date when they did not say. */
  requestedDate: string;
  /** The date promised (the checked delivery date). */
  promisedDate: string;
  /** The order's value, when the rep gave it (it prices the expedite fee). */
  orderValue: number | null;
  /** The band the check gave when the commitment was recorded. */
  answer: PromiseBand;
  /** The flex cost breakdown at promise time: set on a flex answer, else null. */
  flexCost: CommitmentFlexCost | null;
  thresholdCycleId: string;
  thresholdVersion: number;
  allocation: Array<{ week: string; quantity: number }>;
  /** On a beyond answer: the lead-time misalignment issue and the occurrence logged with the commitment. */
  leadTimeIssueId: string | null;
  occurrenceId: string | null;
  status: CommitmentStatus;
  /** The rep who recorded it. */
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
  /** Units delivered so far (partial deliveries add up). */
  deliveredQuantity: number;
  /** Date of the latest delivery, why it was missed, and the occurrence a late or missed delivery logged (see deliveries.ts). */
  deliveredAt?: string | null;
  missedReason?: string | null;
  missedNote?: string | null;
  deliveryOccurrenceId?: string | null;
  /** Who approved or declined it, when, why, and how long after it was recorded; null until decided. */
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  timeToDecisionMs: number | null;
  cancelledBy: string | null;
  cancelledAt: string | null;
  updatedAt: string;
  version: number;
}

/** A commitment as the API answers it: the record and whether it is overdue today. */
export type CommitmentView = Commitment & { overdue: boolean };

/**
 * A commitment is overdue when its promised date has passed (it is before
 * `today`, the workspace's calendar day) and it is not delivered in full,
 * unless it no longer promises anything (cancelled, declined) or is already
 * counted as missed.
 */
export function isOverdue(
  commitment: Pick<Commitment, 'promisedDate' | 'status' | 'quantity' | 'deliveredQuantity'>,
  today: string,
): boolean {
  if (commitment.status === 'cancelled' || commitment.status === 'declined' || commitment.status === 'missed') return false;
  return commitment.promisedDate < today && commitment.deliveredQuantity < commitment.quantity;
}

export const commitmentView = (commitment: Commitment, today: string): CommitmentView => ({
  ...commitment,
  overdue: isOverdue(commitment, today),
});

/** The flex cost a commitment keeps from its check's answer (null unless the answer is flex). */
export function commitmentFlexCost(answer: Pick<PromiseAnswer, 'flex'>): CommitmentFlexCost | null {
  if (!answer.flex) return null;
  const { expediteFee, overtime, setup, total, currency } = answer.flex;
  return { expedite: expediteFee, overtime, setup, total, currency };
}

/**
 * What a commitment on a beyond answer is expected to cost, priced with the
 * agreed threshold's flex costs, since operations will have to stretch at
 * least as far as flex to honour it: overtime for every unit above the free
 * normal capacity of the window (extra resources) and the one-off setup cost
 * (setup change). No expedite fee is estimated; a manager corrects the
 * occurrence when the real cost is known.
 */
export function beyondCostEstimate(terms: ThresholdTerms, answer: Pick<PromiseAnswer, 'quantity' | 'window'>) {
  const unitsOver = Math.max(0, answer.quantity - Math.max(0, answer.window.freeStandard));
  const overtime = Math.round(unitsOver * terms.overtimeCostPerUnit * 100) / 100;
  return {
    cost: { 'extra resources': overtime, 'setup change': terms.setupCost },
    currency: terms.currency,
    unitsOver,
  };
}
