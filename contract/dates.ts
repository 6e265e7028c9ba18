/**
 * "Today" of a workspace. Dates people enter (when an issue occurred, when
 * an action is due, when a delivery is promised) are calendar days where
 * the company works, so every "today" the API compares them with is the
 * day in the workspace's time zone, not the server's.
 */

/** The time zone of a workspace created before workspaces had one. */
export const defaultTimeZone = 'UTC';

/**
 * Earliest day an occurrence may be dated: no misalignment tracked in
 * Accord happened before it, and a day before it is a typo (1900, 0202).
 */
export const earliestOccurrenceDate = '2000-01-01';

/**
 * A formatter of calendar days per time zone, made once: making the first
 * `Intl.DateTimeFormat` of a process loads the time-zone data (tens of
 * milliseconds on a cold start), and every later one costs more than a lookup.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dayFormats.size >= 100) dayFormats.clear();
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** Whether `name` is an IANA time zone this runtime knows (e.g. `Europe/Oslo`). */
export function isTimeZone(name: string): boolean {
  if (name === defaultTimeZone) return true;
  if (name.length === 0 || name.length > 64) return false;
  try {
    dayFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** The calendar day (YYYY-MM-DD) it is at `now` (an ISO instant) in `timeZone`. */
export function todayIn(timeZone: string, now: string): string {
  // UTC, the default, needs no time-zone data: the instant's own date.
  if (timeZone === defaultTimeZone || !isTimeZone(timeZone)) return new Date(now).toISOString().slice(0, 10);
  const parts = dayFormat(timeZone).formatToParts(new Date(now));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** Why `day` cannot be when an occurrence happened, or null: not after today, not before the floor. */
export function occurrenceDateRefusal(day: string, today: string): string | null {
  if (day > today) return `must not be after today (${today} in the workspace's time zone)`;
  if (day < earliestOccurrenceDate) return `must not be before ${earliestOccurrenceDate}`;
  return null;
}

/** Why `day` cannot be a new action's due date, or null: not in the past. */
export function dueDateRefusal(day: string, today: string): string | null {
  return day < today ? `must not be in the past (today is ${today} in the workspace's time zone)` : null;
}
