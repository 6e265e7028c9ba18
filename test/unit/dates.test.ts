import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueDateRefusal, earliestOccurrenceDate, isTimeZone, occurrenceDateRefusal, todayIn } from '#contract/dates';

const instant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const zones = ['UTC', 'Europe/Oslo', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata'];
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

describe('today in the workspace time zone', () => {
  it('is the UTC day in UTC, and at most one day from it anywhere', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (now, zone) => {
        expect(todayIn('UTC', now)).toBe(now.slice(0, 10));
        expect(Math.abs(dayNumber(todayIn(zone, now)) - dayNumber(now.slice(0, 10)))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is the local calendar day on either side of midnight', () => {
    expect(todayIn('Europe/Oslo', '2026-12-31T22:59:59Z')).toBe('2026-12-31');
    expect(todayIn('Europe/Oslo', '2026-12-31T23:00:00Z')).toBe('2027-01-01');
    expect(todayIn('America/Los_Angeles', '2027-01-01T07:59:00Z')).toBe('2026-12-31');
    expect(todayIn('Pacific/Kiritimati', '2026-06-01T10:00:00Z')).toBe('2026-06-02');
  });

  it('knows IANA names and refuses anything else', () => {
    expect(isTimeZone('Europe/Oslo')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const bad of ['', 'Mars/Olympus', 'Europe/Oslo; drop', 'x'.repeat(65)]) expect(isTimeZone(bad)).toBe(false);
  });

  it('refuses occurrence days after today or before the floor, and due days before today', () => {
    expect(occurrenceDateRefusal('2026-06-02', '2026-06-01')).toMatch(/after today/);
    expect(occurrenceDateRefusal('1999-12-31', '2026-06-01')).toMatch(new RegExp(earliestOccurrenceDate));
    expect(occurrenceDateRefusal(earliestOccurrenceDate, '2026-06-01')).toBeNull();
    expect(occurrenceDateRefusal('2026-06-01', '2026-06-01')).toBeNull();
    expect(dueDateRefusal('2026-05-31', '2026-06-01')).toMatch(/past/);
    expect(dueDateRefusal('2026-06-01', '2026-06-01')).toBeNull();
  });
});
