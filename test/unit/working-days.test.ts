import { describe, expect, it } from 'vitest';
import { addWorkingDays, isIsoDate, isWorkingDay, weekOf, weeksFrom, workingDaysBetween } from '#contract/working-days';

// 2026-11-27 is a Friday, 2026-11-30 a Monday.
describe('working days', () => {
  it('skips weekends', () => {
    expect(isWorkingDay('2026-11-27')).toBe(true);
    expect(isWorkingDay('2026-11-28')).toBe(false);
    expect(isWorkingDay('2026-11-29')).toBe(false);
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
    expect(workingDaysBetween('2026-11-27', '2026-11-30')).toBe(1);
    expect(workingDaysBetween('2026-11-27', '2026-11-29')).toBe(0);
  });

  it('skips holidays as well as weekends', () => {
    const holidays = ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01'];
    expect(isWorkingDay('2026-12-25', holidays)).toBe(false);
    expect(addWorkingDays('2026-12-23', 1, holidays)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-30', 1, holidays)).toBe('2027-01-04');
    expect(workingDaysBetween('2026-12-23', '2027-01-04', holidays)).toBe(4);
    expect(workingDaysBetween('2026-12-23', '2027-01-04')).toBe(8);
  });

  it('counts a span and adds days as inverse operations', () => {
    for (const days of [0, 1, 4, 5, 6, 10, 23, 260]) {
      const to = addWorkingDays('2026-11-25', days, ['2026-12-25']);
      expect(workingDaysBetween('2026-11-25', to, ['2026-12-25'])).toBe(days);
    }
  });

  it('is zero for the same day and negative for a date before', () => {
    expect(workingDaysBetween('2026-11-25', '2026-11-25')).toBe(0);
    expect(workingDaysBetween('2026-11-30', '2026-11-27')).toBe(-1);
  });

  it('names weeks by their Monday, across month and year ends', () => {
    expect(weekOf('2026-11-30')).toBe('2026-11-30');
    expect(weekOf('2026-12-06')).toBe('2026-11-30');
    expect(weekOf('2027-01-01')).toBe('2026-12-28');
    expect(weeksFrom('2026-12-24', '2027-01-05')).toEqual(['2026-12-21', '2026-12-28', '2027-01-04']);
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate('tomorrow')).toBe(false);
  });
});
