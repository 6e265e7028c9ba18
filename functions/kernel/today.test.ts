import { describe, expect, it } from 'vitest';
import { todayIn as todayByFormatter } from '#contract/dates';
import { todayIn } from './today';

describe('today where a workspace works, on the server', () => {
  // Every zone the runtime knows, at instants spread over a year (both sides of every DST change and midnight).
  const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC', 'EST', 'Etc/GMT+3', 'Etc/GMT-14', '+03:00', '-05:30'];
  const instants: string[] = [];
  for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 61 * 3_600_000 + 1_234_567)
    instants.push(new Date(t).toISOString());

  it('is the day the formatter gives, in every zone at every instant', () => {
    const differing: string[] = [];
    for (const zone of zones)
      for (const now of instants) {
        const expected = todayByFormatter(zone, now);
        const actual = todayIn(zone, now);
        if (actual !== expected) differing.push(`${zone} ${now}: ${actual} instead of ${expected}`);
      }
    expect(differing.slice(0, 5)).toEqual([]);
    expect(zones.length * instants.length).toBeGreaterThan(50_000);
  });

  it('falls back to UTC for a zone nobody knows, as the formatter does', () => {
    expect(todayIn('Nowhere/Atlantis', '2026-11-30T23:30:00.000Z')).toBe('2026-11-30');
    expect(todayIn('Pacific/Kiritimati', '2026-11-30T23:30:00.000Z')).toBe('2026-12-01');
  });

  it('leaves the process in the zone it was in', () => {
    const before = process.env.TZ;
    const offsetBefore = new Date('2026-06-01T12:00:00.000Z').getTimezoneOffset();
    todayIn('Asia/Kathmandu', '2026-06-01T12:00:00.000Z');
    expect(process.env.TZ).toBe(before);
    expect(new Date('2026-06-01T12:00:00.000Z').getTimezoneOffset()).toBe(offsetBefore);
  });
});
