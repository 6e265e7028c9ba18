/**
 * Today where a workspace works, on the server. It answers what
 * `todayIn` of `#contract/dates` answers, without `Intl.DateTimeFormat`: the
 * first formatter a process makes loads ICU's date-formatting data, 15–25 ms
 * that every function's first request in a workspace outside UTC paid. Node
 * re-reads `process.env.TZ` when it is assigned, and `Date`'s local fields
 * then follow ICU's time-zone rules alone (under 2 ms the first time, ~20 µs
 * after). The zone is set and put back in one synchronous step, so no other
 * code ever runs under it.
 */
import { todayIn as todayByFormatter } from '#contract/dates';

/** IANA names (`Europe/Oslo`, `EST`, `Etc/GMT+3`); offsets such as `+03:00` are left to the formatter. */
const ianaName = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

export function todayIn(timeZone: string, now: string): string {
  if (timeZone === 'UTC' || !ianaName.test(timeZone)) return todayByFormatter(timeZone, now);
  const instant = new Date(now);
  const saved = process.env.TZ;
  try {
    process.env.TZ = timeZone;
    return `${pad(instant.getFullYear(), 4)}-${pad(instant.getMonth() + 1, 2)}-${pad(instant.getDate(), 2)}`;
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}
