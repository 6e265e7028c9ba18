/**
 * Working-day arithmetic on calendar dates written `YYYY-MM-DD`. Weekends
 * (Saturday, Sunday) and the given holidays are not working days. Dates are
 * handled in UTC so the answer never depends on the server's time zone.
 */
import { maxWalkedDays } from './limits';

const dayMs = 24 * 60 * 60 * 1000;

/** Refuses a walk longer than the hard cap: callers bound their spans first, so this only catches a missed bound. */
function assertWalkable(days: number, what: string): void {
  if (!(days <= maxWalkedDays)) throw new RangeError(`${what} spans more than ${maxWalkedDays} days`);
}

/** Whether a string is a real calendar date in `YYYY-MM-DD` form (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const toTime = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromTime = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  return fromTime(toTime(date) + days * dayMs);
}

export function isWorkingDay(date: string, holidays: ReadonlySet<string> | readonly string[] = []): boolean {
  const weekday = new Date(toTime(date)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const set = holidays instanceof Set ? holidays : new Set(holidays as readonly string[]);
  return !set.has(date);
}

/**
 * Working days after `from` up to and including `to`: an order placed on
 * `from` and delivered on `to` has this many working days of lead time.
 * Zero or negative when `to` is not after `from`.
 */
export function workingDaysBetween(from: string, to: string, holidays: readonly string[] = []): number {
  const set = new Set(holidays);
  const start = toTime(from);
  const end = toTime(to);
  if (end <= start) return end === start ? 0 : -workingDaysBetween(to, from, holidays);
  assertWalkable((end - start) / dayMs, 'A working-day count');
  let count = 0;
  for (let time = start + dayMs; time <= end; time += dayMs) {
    if (isWorkingDay(fromTime(time), set)) count += 1;
  }
  return count;
}

/** The `days`-th working day after `from` (`from` itself when days is 0). */
export function addWorkingDays(from: string, days: number, holidays: readonly string[] = []): string {
  const set = new Set(holidays);
  let date = from;
  let left = days;
  for (let walked = 0; left > 0; walked += 1) {
    assertWalkable(walked, 'Adding working days');
    date = addDays(date, 1);
    if (isWorkingDay(date, set)) left -= 1;
  }
  return date;
}

/** The latest of some dates (`YYYY-MM-DD` strings sort by date). */
export function latestDate(...dates: [string, ...string[]]): string {
  return [...dates].sort()[dates.length - 1] as string;
}

/** The earliest of some dates. */
export function earliestDate(...dates: [string, ...string[]]): string {
  return [...dates].sort()[0] as string;
}

/** Monday of the week a date falls in: capacity is planned per week, and this names the week. */
export function weekOf(date: string): string {
  const weekday = new Date(toTime(date)).getUTCDay();
  const sinceMonday = (weekday + 6) % 7;
  return addDays(date, -sinceMonday);
}

/** Mondays of every week from the week of `from` to the week of `to`, inclusive. */
export function weeksFrom(from: string, to: string): string[] {
  const weeks: string[] = [];
  const last = weekOf(to);
  assertWalkable((toTime(last) - toTime(weekOf(from))) / dayMs, 'A list of weeks');
  for (let week = weekOf(from); week <= last; week = addDays(week, 7)) weeks.push(week);
  return weeks;
}
