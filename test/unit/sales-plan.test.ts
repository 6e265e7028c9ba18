import { describe, expect, it } from 'vitest';
import { loadCell, workingDaysIn } from '#contract/plan/load';
import { periodOf, periodsOf } from '#contract/plan/plan';
import { applyCells } from '#contract/plan/plan-changes';

const terms = { capacityPerWeek: 100, flexExtraCapacityPercent: 20, overtimeCostPerUnit: 12, setupCost: 400 };

describe('plan periods', () => {
  it('lists the months a cycle touches and the Mondays of its weeks', () => {
    const cycle = { startDate: '2026-11-15', endDate: '2027-02-10', holidays: [] };
    expect(periodsOf(cycle, 'month')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(periodsOf(cycle, 'week')[0]).toBe('2026-11-09');
    expect(periodOf('2027-01-07', 'week')).toBe('2027-01-04');
    // Only the days inside the cycle count: 15 to 30 November 2026 holds 11 weekdays.
    expect(workingDaysIn('2026-11', 'month', cycle)).toBe(11);
  });
});

describe('load cells', () => {
  it('tells within, flex, beyond and unused apart at their edges', () => {
    expect(loadCell('2027-01', 400, 0, 20, terms)).toMatchObject({ status: 'within', flexCost: 0 });
    expect(loadCell('2027-01', 401, 0, 20, terms)).toMatchObject({ status: 'flex', flexCost: 412 });
    expect(loadCell('2027-01', 480, 0, 20, terms)).toMatchObject({ status: 'flex', flexCost: 1360 });
    expect(loadCell('2027-01', 481, 0, 20, terms)).toMatchObject({ status: 'beyond', flexCost: 1360, beyondVolume: 1 });
    expect(loadCell('2027-01', 199, 0, 20, terms)).toMatchObject({ status: 'unused' });
    // Commitments above the plan are the load.
    expect(loadCell('2027-01', 100, 450, 20, terms)).toMatchObject({ load: 450, status: 'flex' });
    expect(loadCell('2027-01', 100, 0, 20, null)).toMatchObject({ status: 'noThreshold', capacity: null });
  });
});

describe('applying cells', () => {
  it('changes only what differs and drops a cell set to 0 without a value', () => {
    const lines = new Map([['a', { itemId: 'a', volumes: { '2027-01': 5 }, values: {} }]]);
    const { lines: next, changes } = applyCells(lines, [
      { itemId: 'a', code: 'A', period: '2027-01', volume: 5, value: null },
      { itemId: 'b', code: 'B', period: '2027-02', volume: 3, value: 40 },
    ]);
    expect(changes).toEqual([{ code: 'B', period: '2027-02', before: null, after: { volume: 3, value: 40 } }]);
    const cleared = applyCells(next, [{ itemId: 'a', code: 'A', period: '2027-01', volume: 0, value: null }]);
    expect(cleared.lines.has('a')).toBe(false);
    expect(lines.get('a')?.volumes).toEqual({ '2027-01': 5 });
  });
});
