import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  alternatives,
  checkPromise,
  classify,
  evaluatePromise,
  flexCost,
  searchHorizonEnd,
  windowCapacity,
} from '#contract/catalogue/promise';
import type { AgreedThreshold, ThresholdTerms } from '#contract/thresholds/thresholds';
import { addDays, weekOf } from '#contract/working-days';

const terms: ThresholdTerms = {
  standardLeadTimeDays: 10,
  capacityPerWeek: 100,
  flexExtraCapacityPercent: 20,
  flexLeadTimeDays: 5,
  expediteFeePercent: 8,
  overtimeCostPerUnit: 12,
  setupCost: 400,
  currency: 'EUR',
  minimumOrderQuantity: 2,
  noticeDays: 2,
  slaTerms: '',
  scopeIncluded: [],
  scopeExcluded: [],
  notes: '',
};

const band = (quantity: number, workingDays: number, freeStandard = 100, freeFlex = 120) =>
  classify({ terms, quantity, workingDays, freeStandard, freeFlex }).band;

describe('band classification', () => {
  it('is standard exactly at free capacity and exactly at the standard lead time', () => {
    expect(band(100, 10)).toBe('standard');
    expect(band(2, 30)).toBe('standard');
  });

  it('is flex one unit over capacity, or one day under the standard lead time', () => {
    expect(band(101, 10)).toBe('flex');
    expect(band(100, 9)).toBe('flex');
  });

  it('is flex exactly at the flex edge and beyond one past it', () => {
    expect(band(120, 10)).toBe('flex');
    expect(band(121, 10)).toBe('beyond');
    expect(band(50, 5)).toBe('flex');
    expect(band(50, 4)).toBe('beyond');
  });

  it('takes the worse of lead time and capacity', () => {
    expect(band(121, 30)).toBe('beyond');
    expect(band(101, 4)).toBe('beyond');
    expect(band(110, 7)).toBe('flex');
  });

  it('is beyond for zero, negative or below-minimum quantities and for dates not ahead', () => {
    expect(band(0, 10)).toBe('beyond');
    expect(band(-3, 10)).toBe('beyond');
    expect(band(1, 10)).toBe('beyond');
    expect(band(10, 0)).toBe('beyond');
    expect(band(10, -2)).toBe('beyond');
    expect(classify({ terms, quantity: 1, workingDays: 10, freeStandard: 100, freeFlex: 120 }).reasons[0]).toMatch(
      /minimum order/,
    );
  });

  it('has no free capacity when normal capacity is zero', () => {
    const none = { ...terms, capacityPerWeek: 0 };
    const window = windowCapacity(none, {}, '2026-11-25', '2026-12-09');
    expect(window).toMatchObject({ freeStandard: 0, freeFlex: 0 });
    expect(classify({ terms: none, quantity: 2, workingDays: 10, ...window }).band).toBe('beyond');
  });
});

describe('flex cost', () => {
  it('breaks the cost into expedite fee, overtime and setup', () => {
    const rushed = classify({ terms, quantity: 110, workingDays: 7, freeStandard: 100, freeFlex: 120 });
    expect(flexCost(terms, rushed, 10_000)).toMatchObject({
      expediteFee: 800,
      overtime: 120,
      overtimeUnits: 10,
      setup: 400,
      total: 1320,
    });
    expect(flexCost(terms, rushed, null)).toMatchObject({ expediteFee: null, expediteApplies: true, total: 520 });
    const overOnly = classify({ terms, quantity: 101, workingDays: 10, freeStandard: 100, freeFlex: 120 });
    expect(flexCost(terms, overOnly, 10_000)).toMatchObject({ expediteFee: 0, expediteApplies: false, overtime: 12, total: 412 });
  });
});

describe('capacity window', () => {
  it('counts every week from this week to the delivery week, less what is committed', () => {
    // Wednesday 2026-11-25 to Wednesday 2026-12-09: three weeks.
    const window = windowCapacity(terms, { '2026-11-30': 70, '2026-12-07': 130 }, '2026-11-25', '2026-12-09');
    expect(window).toEqual({ weeks: 3, normal: 300, committed: 200, freeStandard: 130, freeFlex: 170 });
  });

  it('takes a commitment from the delivery week backwards, normal capacity before flex', () => {
    expect(allocate(terms, { '2026-12-07': 60 }, '2026-11-25', '2026-12-09', 150)).toEqual([
      { week: '2026-11-23', quantity: 10 },
      { week: '2026-11-30', quantity: 100 },
      { week: '2026-12-07', quantity: 40 },
    ]);
    expect(allocate(terms, {}, '2026-11-25', '2026-12-02', 230)).toEqual([
      { week: '2026-11-23', quantity: 110 },
      { week: '2026-11-30', quantity: 120 },
    ]);
    expect(allocate(terms, {}, '2026-11-25', '2026-12-02', 300)).toEqual([
      { week: '2026-11-23', quantity: 120 },
      { week: '2026-11-30', quantity: 180 },
    ]);
  });
});

/** Version 3 of a pump's threshold, agreed by sales and operations, with two holidays. */
const agreedPump: AgreedThreshold = {
  itemId: 'i',
  itemCode: 'CP-050',
  itemName: 'Centrifugal pump DN50',
  kind: 'product',
  unit: 'unit',
  cycleId: 'c',
  cycleName: 'FY2027 budget',
  cycleStartDate: '2027-01-01',
  holidays: ['2026-12-24', '2026-12-25'],
  version: 3,
  terms,
  signOffs: [
    { email: 's@x', name: 'Sam', function: 'sales', role: 'manager', at: '' },
    { email: 'o@x', name: 'Olga', function: 'operations', role: 'manager', at: '' },
  ],
  agreedAt: '2026-11-01T00:00:00Z',
};

describe('checkPromise', () => {
  const agreed = agreedPump;

  it('counts holidays out of the lead time and cites the version it used', () => {
    // 2026-12-18 (Fri) + 10 working days, skipping the 24th and 25th, is 2027-01-05.
    const answer = checkPromise(agreed, {}, { quantity: 10, leadTimeDays: 10 }, '2026-12-18');
    expect(answer).toMatchObject({ band: 'standard', deliveryDate: '2027-01-05', workingDays: 10 });
    expect(answer.threshold).toMatchObject({ version: 3, signedBy: ['Sam (sales)', 'Olga (operations)'] });
    expect(checkPromise(agreed, {}, { quantity: 10, deliveryDate: '2027-01-04' }, '2026-12-18').band).toBe('flex');
  });

  it('suggests the nearest standard and flex dates and the largest quantities for a beyond answer', () => {
    const found = alternatives({
      terms,
      holidays: [],
      committed: { '2026-11-23': 100, '2026-11-30': 100 },
      today: '2026-11-25',
      quantity: 50,
      deliveryDate: '2026-11-27',
    });
    expect(found).toEqual({
      // Flex needs five working days (Dec 2); its week still has 20 units of flex room, the week after has 120.
      earliestFlexDate: '2026-12-07',
      earliestStandardDate: '2026-12-09',
      maxStandardQuantity: 0,
      maxFlexQuantity: 0,
    });
  });
});

describe('what an answer reads', () => {
  const agreed: AgreedThreshold = { ...agreedPump, signOffs: [] };
  const today = '2026-11-25';

  it('stops at the delivery date for a standard answer', () => {
    const { answer, readThrough } = evaluatePromise(agreed, {}, { quantity: 10, deliveryDate: '2026-12-16' }, today);
    expect(answer.band).toBe('standard');
    expect(readThrough).toBe('2026-12-16');
  });

  it('reaches the earliest standard date when the answer searches for one', () => {
    const rushed = evaluatePromise(agreed, {}, { quantity: 10, deliveryDate: '2026-12-02' }, today);
    expect(rushed.answer.band).toBe('flex');
    expect(rushed.readThrough).toBe(rushed.answer.alternatives?.earliestStandardDate);
    // 500 units need five weeks of normal capacity: the search runs past the delivery week.
    const large = evaluatePromise(agreed, {}, { quantity: 500, deliveryDate: '2026-12-02' }, today);
    expect(large.answer.alternatives?.earliestStandardDate).toBe('2026-12-21');
    expect(large.readThrough).toBe('2026-12-21');
  });

  it('reaches the end of the search horizon when no date works, and today for a date already past', () => {
    const never = evaluatePromise(agreed, {}, { quantity: 1_000_000, deliveryDate: '2026-12-02' }, today);
    expect(never.answer.alternatives).toMatchObject({ earliestStandardDate: null, earliestFlexDate: null });
    expect(never.readThrough).toBe(searchHorizonEnd(today, agreed.holidays));
    const belowMinimum = evaluatePromise(agreed, {}, { quantity: 1, deliveryDate: '2026-12-02' }, today);
    expect(belowMinimum.readThrough).toBe('2026-12-02');
    expect(evaluatePromise(agreed, {}, { quantity: 10, deliveryDate: '2026-11-02' }, today).readThrough >= today).toBe(true);
  });

  it('never depends on capacity committed after the week it reads through', () => {
    const week = (n: number) => addDays(weekOf(today), 7 * n);
    fc.assert(
      fc.property(
        fc.dictionary(fc.integer({ min: 0, max: 120 }).map(week), fc.integer({ min: 0, max: 150 }), { maxKeys: 40 }),
        fc.integer({ min: 1, max: 900 }),
        fc.oneof(
          fc.record({ leadTimeDays: fc.integer({ min: 1, max: 60 }) }),
          fc.record({ deliveryDate: fc.integer({ min: -5, max: 400 }).map((days) => addDays(today, days)) }),
        ),
        (committed, quantity, when) => {
          const full = evaluatePromise(agreed, committed, { quantity, ...when }, today);
          const lastWeek = weekOf(full.readThrough);
          const known = Object.fromEntries(Object.entries(committed).filter(([monday]) => monday <= lastWeek));
          const partial = evaluatePromise(agreed, known, { quantity, ...when }, today);
          expect(partial).toEqual(full);
        },
      ),
      { numRuns: 150 },
    );
  });
});
