/**
 * The one way screens write money, numbers and dates. Money is in whole units
 * unless the amount has cents (€350, €1,550, €12.50), so a list never mixes
 * "€350.00" with "€1,550".
 */
export function money(amount: number, currency: string): string {
  const digits = Number.isInteger(amount) ? 0 : 2;
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    // A code Intl does not know still shows, with the same rule for cents.
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

/** A plain quantity, with at most two decimals. */
export function amount(value: number): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value);
}

/** A calendar date (`2027-01-31`) as the reader's locale writes it, with its weekday (a rep promises a day, not a string). */
export function day(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** A moment (an ISO timestamp) in the reader's time zone; `long` spells out the weekday, for a meeting's heading. */
export function moment(iso: string, style: 'short' | 'long' = 'short'): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: style === 'long' ? 'full' : 'medium', timeStyle: 'short' });
}

/** The date part of a moment, in the reader's time zone. */
export function momentDay(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** A time of day, e.g. when a live screen last synced. */
export function clock(date: Date): string {
  return date.toLocaleTimeString(undefined, { timeStyle: 'medium' });
}
