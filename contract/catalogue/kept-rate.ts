import type { PromiseBand } from './promise';

/**
 * Promise-kept figures: of the commitments whose outcome is known, how many
 * were delivered on time and in full, to the promised date (SCOR's "delivery
 * performance to commit date") and to the date the customer requested
 * ("to request date"). Pure arithmetic over counters the store keeps per
 * scope and week (see functions/catalogue/deliveries-entities.ts), so a rate
 * costs the same to read for 100 commitments as for 50,000.
 */
export const keptScopes = ['item', 'rep', 'band', 'cycle', 'workspace'] as const;
export type KeptScope = (typeof keptScopes)[number];

/** The line many delivery tools draw as their red threshold. */
export const keptTarget = 0.9;

/** Counters of one scope and week (the week of the promised date). */
export interface KeptCounts {
  /** Commitments whose outcome is known: first delivered, or missed. */
  settled: number;
  /** Delivered in full, in one delivery, on or before the promised date. */
  keptToPromised: number;
  /** Delivered in full, in one delivery, on or before the requested date. */
  keptToRequested: number;
  /** First delivery was short of the promised quantity. */
  partial: number;
  /** First delivered after the promised date. */
  late: number;
  missed: number;
}

export const emptyKeptCounts = (): KeptCounts => ({
  settled: 0,
  keptToPromised: 0,
  keptToRequested: 0,
  partial: 0,
  late: 0,
  missed: 0,
});

export const keptCountNames = Object.keys(emptyKeptCounts()) as Array<keyof KeptCounts>;

/** How the first outcome of one commitment counts: what a delivery adds to the counters of each of its scopes. */
export function keptDelta(outcome: {
  missed: boolean;
  inFull: boolean;
  onTimeToPromised: boolean;
  onTimeToRequested: boolean;
}): KeptCounts {
  if (outcome.missed) return { ...emptyKeptCounts(), settled: 1, missed: 1 };
  return {
    settled: 1,
    keptToPromised: outcome.inFull && outcome.onTimeToPromised ? 1 : 0,
    keptToRequested: outcome.inFull && outcome.onTimeToRequested ? 1 : 0,
    partial: outcome.inFull ? 0 : 1,
    late: outcome.onTimeToPromised ? 0 : 1,
    missed: 0,
  };
}

/** A share between 0 and 1, or null when nothing is settled yet (no rate rather than 0 % or 100 %). */
export const rateOf = (kept: number, settled: number): number | null => (settled > 0 ? kept / settled : null);

export interface KeptWeek extends KeptCounts {
  /** The Monday of the week the promised dates fall in. */
  week: string;
  toPromised: number | null;
  toRequested: number | null;
}

export interface PromiseKeptRate {
  scope: KeptScope;
  scopeId: string;
  from: string;
  to: string;
  target: number;
  totals: KeptCounts & { toPromised: number | null; toRequested: number | null };
  /** Every week from `from` to `to`, oldest first, weeks with nothing settled included (rates null). */
  weeks: KeptWeek[];
}

export function addKeptCounts(a: KeptCounts, b: KeptCounts): KeptCounts {
  const sum = emptyKeptCounts();
  for (const name of keptCountNames) sum[name] = a[name] + b[name];
  return sum;
}

/** The weekly series and totals from the counters found (weeks without a counter count zero). */
export function keptRateOf(
  scope: { scope: KeptScope; scopeId: string },
  weeks: readonly string[],
  found: ReadonlyMap<string, KeptCounts>,
): PromiseKeptRate {
  const series = weeks.map((week): KeptWeek => {
    const counts = found.get(week) ?? emptyKeptCounts();
    return {
      week,
      ...counts,
      toPromised: rateOf(counts.keptToPromised, counts.settled),
      toRequested: rateOf(counts.keptToRequested, counts.settled),
    };
  });
  const totals = series.reduce<KeptCounts>((sum, week) => addKeptCounts(sum, week), emptyKeptCounts());
  return {
    ...scope,
    from: weeks[0] ?? '',
    to: weeks[weeks.length - 1] ?? '',
    target: keptTarget,
    totals: {
      ...totals,
      toPromised: rateOf(totals.keptToPromised, totals.settled),
      toRequested: rateOf(totals.keptToRequested, totals.settled),
    },
    weeks: series,
  };
}

/** The scopes one commitment counts in, with the id of each. */
export function keptScopesOf(commitment: {
  workspaceId: string;
  itemId: string;
  recordedBy: string;
  answer: PromiseBand;
  thresholdCycleId: string;
}): Array<{ scope: KeptScope; scopeId: string }> {
  return [
    { scope: 'item', scopeId: commitment.itemId },
    { scope: 'rep', scopeId: commitment.recordedBy },
    { scope: 'band', scopeId: commitment.answer },
    { scope: 'cycle', scopeId: commitment.thresholdCycleId },
    { scope: 'workspace', scopeId: commitment.workspaceId },
  ];
}
