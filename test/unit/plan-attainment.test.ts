import { describe, expect, it } from 'vitest';
import { attainmentFamilies, committedByItemPeriod, countsAsSold } from '#contract/plan/attainment';

const row = (itemId: string, family: string, plan: number) => ({
  itemId,
  code: itemId.toUpperCase(),
  name: `Item ${itemId}`,
  family,
  volumes: { '2027-01': plan },
});
const signalled = (plans: Array<[string, string, number]>, sold: Record<string, number>) => {
  const committed = new Map(Object.entries(sold).map(([itemId, quantity]) => [`${itemId}|2027-01`, quantity]));
  return attainmentFamilies(
    plans.map(([itemId, family, plan]) => row(itemId, family, plan)),
    committed,
    ['2027-01'],
  ).signals.map((signal) => signal.itemId);
};

describe('the attainment signal', () => {
  it('holds at exactly 130 % against others at exactly 80 %, and not a unit either side', () => {
    const plans: Array<[string, string, number]> = [
      ['hot', 'Pumps', 100],
      ['cold', 'Pumps', 100],
    ];
    expect(signalled(plans, { hot: 130, cold: 80 })).toEqual(['hot']);
    expect(signalled(plans, { hot: 129, cold: 80 })).toEqual([]);
    expect(signalled(plans, { hot: 130, cold: 81 })).toEqual([]);
  });

  it('never signals an item without a plan, alone in its family, or without a family', () => {
    expect(
      signalled(
        [
          ['new', 'Pumps', 0],
          ['cold', 'Pumps', 100],
        ],
        { new: 500 },
      ),
    ).toEqual([]);
    expect(signalled([['alone', 'Valves', 100]], { alone: 300 })).toEqual([]);
    expect(
      signalled(
        [
          ['a', '', 100],
          ['b', '', 100],
        ],
        { a: 300 },
      ),
    ).toEqual([]);
  });

  it('sums the others of the family together, so one lagging item does not make a family lag', () => {
    const plans: Array<[string, string, number]> = [
      ['hot', 'Pumps', 100],
      ['slow', 'Pumps', 100],
      ['fine', 'Pumps', 100],
    ];
    // Others: 10 + 150 of 200 = 80 %: signalled; 10 + 151 of 200 = 80.5 %: not.
    expect(signalled(plans, { hot: 200, slow: 10, fine: 150 })).toEqual(['hot']);
    expect(signalled(plans, { hot: 200, slow: 10, fine: 151 })).toEqual([]);
  });
});

describe('committed per item and period', () => {
  it('counts by promised date inside the cycle, leaving out cancelled and declined commitments', () => {
    const cycle = { startDate: '2027-01-01', endDate: '2027-12-31' };
    const committed = committedByItemPeriod(
      [
        { itemId: 'a', quantity: 5, promisedDate: '2027-01-31', status: 'approved' },
        { itemId: 'a', quantity: 7, promisedDate: '2027-02-01', status: 'missed' },
        { itemId: 'a', quantity: 9, promisedDate: '2027-01-15', status: 'cancelled' },
        { itemId: 'a', quantity: 11, promisedDate: '2027-01-15', status: 'declined' },
        { itemId: 'a', quantity: 13, promisedDate: '2026-12-31', status: 'delivered' },
      ],
      cycle,
      'month',
      countsAsSold,
    );
    expect(Object.fromEntries(committed)).toEqual({ 'a|2027-01': 5, 'a|2027-02': 7 });
  });
});
