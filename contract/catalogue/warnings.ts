import type { AgreedThreshold } from '#contract/thresholds/thresholds';
import { addDays, isWorkingDay } from '#contract/working-days';

/** A delivery date further ahead than this many days draws a warning: the threshold may well change before then. */
export const farAheadDays = 365;

/**
 * What a rep should know about a promise's date even when the answer is
 * standard: a day nobody works, a date outside the cycle whose threshold
 * answered, or one so far ahead that the answer may not hold.
 */
export function promiseWarnings(
  threshold: Pick<AgreedThreshold, 'holidays' | 'cycleName' | 'cycleStartDate' | 'cycleEndDate'>,
  deliveryDate: string,
  today: string,
): string[] {
  const warnings: string[] = [];
  if (!isWorkingDay(deliveryDate, threshold.holidays)) {
    warnings.push(`${deliveryDate} is not a working day (a weekend or a holiday of ${threshold.cycleName})`);
  }
  const { cycleStartDate: start, cycleEndDate: end } = threshold;
  if (deliveryDate < start || (end !== undefined && deliveryDate > end)) {
    warnings.push(
      `${deliveryDate} is outside ${threshold.cycleName} (${start} to ${end ?? '…'}), the cycle whose threshold answered`,
    );
  }
  if (deliveryDate > addDays(today, farAheadDays)) {
    warnings.push(`${deliveryDate} is more than a year ahead: the agreed threshold may change before then`);
  }
  return warnings;
}

/** Products are counted in whole units; services (hours) may be split. */
export function quantityProblem(kind: 'product' | 'service', unit: string, quantity: number): string | null {
  return kind === 'product' && !Number.isInteger(quantity) ? `must be a whole number of ${unit}` : null;
}
