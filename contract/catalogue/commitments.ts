import type { ThresholdTerms } from '#contract/thresholds/thresholds';
import type { PromiseAnswer, PromiseBand } from './promise';

/**
 * A commitment a rep made to a customer after a promise check. It holds the
 * capacity it took per week, so cancelling gives back exactly that.
 */
export const commitmentStatuses = ['active', 'cancelled'] as const;
export type CommitmentStatus = (typeof commitmentStatuses)[number];

export interface Commitment {
  id: string;
  workspaceId: string;
  itemId: string;
  itemCode: string;
  reference: string;
  quantity: number;
  deliveryDate: string;
  /** The band the check gave when the commitment was recorded. */
  answer: PromiseBand;
  thresholdCycleId: string;
  thresholdVersion: number;
  allocation: Array<{ week: string; quantity: number }>;
  /** On a beyond answer: the lead-time misalignment issue and the occurrence logged with the commitment. */
  leadTimeIssueId: string | null;
  occurrenceId: string | null;
  status: CommitmentStatus;
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
  cancelledBy: string | null;
  cancelledAt: string | null;
  updatedAt: string;
  version: number;
}

/**
 * What a commitment on a beyond answer is expected to cost, priced with the
 * agreed threshold's flex costs, since operations will have to stretch at
 * least as far as flex to honour it: overtime for every unit above the free
 * normal capacity of the window (extra resources) and the one-off setup cost
 * (setup change). A commitment carries no order value, so no expedite fee is
 * estimated; a manager corrects the occurrence when the real cost is known.
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
