import type { AgreedThreshold, ThresholdTerms } from '#contract/thresholds/thresholds';
import { workingDaysBetween } from '#contract/working-days';
import type { Commitment, CommitmentView } from './commitments';
import type { PromiseBand } from './promise';

/**
 * Which commitments wait for an operations decision: a workspace setting
 * naming the bands that need approval. A standard promise never does, so
 * the setting only chooses among flex and beyond.
 */
export const approvalBandChoices = ['flex', 'beyond'] as const satisfies readonly PromiseBand[];
export type ApprovalBand = (typeof approvalBandChoices)[number];
export const defaultApprovalBands: readonly ApprovalBand[] = ['flex', 'beyond'];

export function needsApproval(band: PromiseBand, approvalBands: readonly ApprovalBand[]): boolean {
  return band !== 'standard' && approvalBands.includes(band);
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The most a week may hold within the flex band. */
export const flexLimitOf = (terms: ThresholdTerms) => round(terms.capacityPerWeek * (1 + terms.flexExtraCapacityPercent / 100));

/**
 * Why a flex commitment may no longer be approved under the agreed threshold
 * as it is now, or null when it still fits: its lead time (from the day it
 * was recorded) is at least the flex lead time, its quantity reaches the
 * minimum order, and every week it took capacity from holds no more than the
 * flex band allows (`committed` is what each week holds now, this commitment included).
 */
export function approvalRecheck(
  agreed: Pick<AgreedThreshold, 'terms' | 'holidays'>,
  commitment: Pick<Commitment, 'quantity' | 'promisedDate' | 'allocation'>,
  recordedOn: string,
  committed: Readonly<Record<string, number>>,
): string | null {
  const { terms, holidays } = agreed;
  if (commitment.quantity < terms.minimumOrderQuantity) {
    return `${commitment.quantity} is below the minimum order quantity of ${terms.minimumOrderQuantity} now agreed`;
  }
  const days = workingDaysBetween(recordedOn, commitment.promisedDate, holidays);
  if (days < terms.flexLeadTimeDays) {
    return `${days} working days is now shorter than the flex lead time of ${terms.flexLeadTimeDays}`;
  }
  const limit = flexLimitOf(terms);
  for (const part of commitment.allocation) {
    const held = committed[part.week] ?? 0;
    if (held > limit) return `The week of ${part.week} now holds ${held}, more than the ${limit} the flex band allows`;
  }
  return null;
}

/** One week a commitment takes capacity from, and what the flex band has left in it. */
export interface ImpactWeek {
  week: string;
  /** What this commitment takes from the week. */
  quantity: number;
  capacity: number;
  flexLimit: number;
  /** What the week holds, this commitment included. */
  committed: number;
  /** Units of the flex band (above normal capacity) the week still has; negative when overloaded. */
  flexLeft: number;
  /** Share of the flex band still free, 0–100 (0 when the week is past it). */
  flexLeftPercent: number;
}

/** What approving a commitment means for its weeks, and who else holds capacity in them. */
export interface CommitmentImpact {
  commitment: CommitmentView;
  thresholdVersion: number;
  unit: string;
  weeks: ImpactWeek[];
  /** Other commitments still holding capacity in those weeks, by promised date. */
  others: Array<CommitmentView & { inWeeks: Array<{ week: string; quantity: number }> }>;
}

/** The impact of a commitment on its weeks, from the agreed terms and what each week holds now. */
export function impactWeeks(
  terms: ThresholdTerms,
  commitment: Pick<Commitment, 'allocation'>,
  committed: Readonly<Record<string, number>>,
): ImpactWeek[] {
  const flexLimit = flexLimitOf(terms);
  const band = flexLimit - terms.capacityPerWeek;
  return commitment.allocation.map((part) => {
    const held = committed[part.week] ?? part.quantity;
    const flexLeft = round(flexLimit - held);
    return {
      week: part.week,
      quantity: part.quantity,
      capacity: terms.capacityPerWeek,
      flexLimit,
      committed: held,
      flexLeft,
      flexLeftPercent: band > 0 ? Math.round((Math.max(0, Math.min(band, flexLeft)) / band) * 100) : 0,
    };
  });
}

/** A time to decision in words: "4 min", "2 h 5 min", "3 days". */
export function decisionTime(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

/** Whether a member decides on commitments awaiting approval (the rule `commitmentDecisionRefusal` enforces). */
export const decidesApprovals = (member: { function: string; role: string } | undefined) =>
  member?.function === 'operations' && member.role !== 'rep';
