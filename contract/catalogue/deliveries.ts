import type { CostBreakdown } from '#contract/misalignment/misalignment';
import type { Refusal } from '#contract/refusal';
import type { Commitment, CommitmentStatus } from './commitments';
import { type KeptCounts, keptDelta } from './kept-rate';

/**
 * Deliveries against commitments: recorded by hand by operations, or
 * imported from the ERP (CSV or JSON rows) matched by the commitment's
 * `reference`. Partial deliveries add up; a missed one says why.
 */
export const missReasons = ['capacity', 'material shortage', 'quality', 'transport', 'customer changed order', 'other'] as const;
export type MissReason = (typeof missReasons)[number];

/** One delivery as it reaches a commitment: delivered (date, quantity) or missed (date, reason). */
export type Delivery =
  | { kind: 'delivered'; date: string; quantity: number; cost?: Partial<CostBreakdown> }
  | { kind: 'missed'; date: string; reason: MissReason; note?: string | null; cost?: Partial<CostBreakdown> };

/** What one delivery does to a commitment, worked out before anything is written. */
export interface DeliveryEffect {
  status: CommitmentStatus;
  deliveredQuantity: number;
  /** The counters this delivery adds (only the commitment's first outcome counts), or null. */
  kept: KeptCounts | null;
  /** The delivery is late or missed and the commitment has no delivery occurrence yet: log one. */
  logsOccurrence: boolean;
  late: boolean;
}

/**
 * Why a delivery is refused, or null. Only an approved commitment takes
 * deliveries (an older `active` one reads as approved); one awaiting approval,
 * declined, cancelled or missed answers a conflict; a delivered one takes
 * more only as an explicit over-delivery. More than promised in total is
 * refused unless over-delivery is allowed; a date after today too.
 */
export function deliveryRefusal(
  commitment: Pick<Commitment, 'status' | 'quantity' | 'deliveredQuantity'>,
  delivery: Delivery,
  options: { today: string; allowOverDelivery: boolean },
): Refusal | null {
  if (delivery.date > options.today) {
    return { kind: 'invalid', reason: 'must not be after today', field: 'date' };
  }
  const overDelivering = commitment.status === 'delivered' && delivery.kind === 'delivered' && options.allowOverDelivery;
  if (commitment.status !== 'approved' && !overDelivering) {
    return { kind: 'conflict', reason: `The commitment is ${commitment.status}; it takes no delivery` };
  }
  if (delivery.kind === 'delivered' && !options.allowOverDelivery) {
    const open = commitment.quantity - commitment.deliveredQuantity;
    if (delivery.quantity > open) {
      return {
        kind: 'invalid',
        reason: `must be at most ${open}, what is still to deliver (allow over-delivery to record more)`,
        field: 'quantity',
      };
    }
  }
  return null;
}

/**
 * The effect of an accepted delivery. The commitment's first outcome decides
 * how it counts in the kept rate: a first delivery of the whole quantity on
 * or before the promised (requested) date is kept to promised (requested); a
 * first delivery short of it is not in full, even when the rest follows; a
 * miss is not kept. Later deliveries only add to the delivered quantity.
 */
export function deliveryEffect(
  commitment: Pick<Commitment, 'status' | 'quantity' | 'deliveredQuantity' | 'promisedDate' | 'requestedDate'> & {
    deliveryOccurrenceId?: string | null;
  },
  delivery: Delivery,
): DeliveryEffect {
  const first = commitment.deliveredQuantity === 0 && commitment.status === 'approved';
  const hasOccurrence = Boolean(commitment.deliveryOccurrenceId);
  if (delivery.kind === 'missed') {
    return {
      status: 'missed',
      deliveredQuantity: commitment.deliveredQuantity,
      kept: first ? keptDelta({ missed: true, inFull: false, onTimeToPromised: false, onTimeToRequested: false }) : null,
      logsOccurrence: !hasOccurrence,
      late: false,
    };
  }
  const deliveredQuantity = commitment.deliveredQuantity + delivery.quantity;
  const late = delivery.date > commitment.promisedDate;
  return {
    status: deliveredQuantity >= commitment.quantity ? 'delivered' : 'approved',
    deliveredQuantity,
    kept: first
      ? keptDelta({
          missed: false,
          inFull: delivery.quantity >= commitment.quantity,
          onTimeToPromised: !late,
          onTimeToRequested: delivery.date <= commitment.requestedDate,
        })
      : null,
    logsOccurrence: late && !hasOccurrence,
    late,
  };
}

/** How each row of an import ended. */
export const importRowOutcomes = ['applied', 'already applied', 'not matched', 'ambiguous', 'invalid', 'refused'] as const;
export type ImportRowOutcome = (typeof importRowOutcomes)[number];

export interface ImportRowReport {
  /** Line of the CSV (the header is line 1), or position in the list of rows (from 1). */
  row: number;
  reference: string;
  outcome: ImportRowOutcome;
  /** The column at fault, for an invalid row. */
  column?: string;
  reason?: string;
  commitmentId?: string;
}

export interface DeliveryImportReport {
  applied: number;
  alreadyApplied: number;
  notMatched: number;
  ambiguous: number;
  invalid: number;
  refused: number;
  /** Every row that was not applied, and the applied ones with the commitment they reached. */
  rows: ImportRowReport[];
}
