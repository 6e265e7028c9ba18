import { describe, expect, it } from 'vitest';
import { commitmentFlexCost, isOverdue } from '#contract/catalogue/commitments';

describe('overdue commitments', () => {
  const promised = { promisedDate: '2026-11-27', quantity: 10, deliveredQuantity: 0, status: 'approved' as const };

  it('are the ones whose promised date has passed without a delivery in full', () => {
    expect(isOverdue(promised, '2026-11-27')).toBe(false);
    expect(isOverdue(promised, '2026-11-28')).toBe(true);
    expect(isOverdue({ ...promised, status: 'awaiting approval' }, '2026-11-28')).toBe(true);
    expect(isOverdue({ ...promised, status: 'delivered', deliveredQuantity: 4 }, '2026-11-28')).toBe(true);
    expect(isOverdue({ ...promised, status: 'delivered', deliveredQuantity: 10 }, '2026-11-28')).toBe(false);
  });

  it('never counts a cancelled, declined or missed commitment', () => {
    for (const status of ['cancelled', 'declined', 'missed'] as const) {
      expect(isOverdue({ ...promised, status }, '2027-06-01'), status).toBe(false);
    }
  });
});

describe('the flex cost a commitment keeps', () => {
  it('is the check answer’s breakdown on flex, and nothing otherwise', () => {
    expect(commitmentFlexCost({ flex: null })).toBeNull();
    const flex = {
      expediteFee: null,
      expediteFeePercent: 8,
      expediteApplies: true,
      overtime: 120,
      overtimeUnits: 10,
      setup: 400,
      total: 520,
      currency: 'EUR',
      approver: 'operations' as const,
    };
    expect(commitmentFlexCost({ flex })).toEqual({ expedite: null, overtime: 120, setup: 400, total: 520, currency: 'EUR' });
  });
});
