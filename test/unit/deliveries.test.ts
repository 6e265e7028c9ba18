import { describe, expect, it } from 'vitest';
import { deliveryEffect, deliveryRefusal } from '#contract/catalogue/deliveries';
import { readDeliveriesCsv } from '#contract/catalogue/deliveries-csv';
import { emptyKeptCounts, keptRateOf } from '#contract/catalogue/kept-rate';

const approved = {
  status: 'approved' as const,
  quantity: 10,
  deliveredQuantity: 0,
  promisedDate: '2026-12-10',
  requestedDate: '2026-12-08',
};

describe('what a delivery does', () => {
  it('counts a commitment once, by its first outcome', () => {
    const onTime = deliveryEffect(approved, { kind: 'delivered', date: '2026-12-09', quantity: 10 });
    expect(onTime).toMatchObject({ status: 'delivered', logsOccurrence: false });
    expect(onTime.kept).toMatchObject({ settled: 1, keptToPromised: 1, keptToRequested: 0 });
    const partial = deliveryEffect(approved, { kind: 'delivered', date: '2026-12-01', quantity: 4 });
    expect(partial).toMatchObject({ status: 'approved', deliveredQuantity: 4 });
    expect(partial.kept).toMatchObject({ settled: 1, keptToPromised: 0, partial: 1, late: 0 });
    const rest = deliveryEffect({ ...approved, deliveredQuantity: 4 }, { kind: 'delivered', date: '2026-12-11', quantity: 6 });
    expect(rest).toMatchObject({ status: 'delivered', kept: null, logsOccurrence: true, late: true });
    const missed = deliveryEffect(approved, { kind: 'missed', date: '2026-12-11', reason: 'capacity' });
    expect(missed).toMatchObject({ status: 'missed', logsOccurrence: true });
    expect(missed.kept).toMatchObject({ settled: 1, missed: 1, keptToPromised: 0 });
    expect(
      deliveryEffect({ ...approved, deliveryOccurrenceId: 'x' }, { kind: 'missed', date: '2026-12-11', reason: 'other' }),
    ).toMatchObject({ logsOccurrence: false });
  });

  it('refuses a state that takes no delivery, too much, and a date after today', () => {
    const options = { today: '2026-12-10', allowOverDelivery: false };
    expect(
      deliveryRefusal({ ...approved, status: 'cancelled' }, { kind: 'delivered', date: '2026-12-10', quantity: 1 }, options),
    ).toMatchObject({ kind: 'conflict' });
    expect(deliveryRefusal(approved, { kind: 'delivered', date: '2026-12-10', quantity: 11 }, options)).toMatchObject({
      kind: 'invalid',
      field: 'quantity',
    });
    expect(deliveryRefusal(approved, { kind: 'delivered', date: '2026-12-11', quantity: 1 }, options)).toMatchObject({
      field: 'date',
    });
    expect(
      deliveryRefusal(approved, { kind: 'delivered', date: '2026-12-10', quantity: 11 }, { ...options, allowOverDelivery: true }),
    ).toBeNull();
  });
});

describe('the kept rate', () => {
  it('adds weeks up, leaves weeks without settled promises without a rate', () => {
    const found = new Map([
      ['2026-11-30', { ...emptyKeptCounts(), settled: 3, keptToPromised: 1, keptToRequested: 1, late: 1, partial: 1 }],
      ['2026-12-14', { ...emptyKeptCounts(), settled: 1, missed: 1 }],
    ]);
    const rate = keptRateOf({ scope: 'item', scopeId: 'i' }, ['2026-11-30', '2026-12-07', '2026-12-14'], found);
    expect(rate.totals).toMatchObject({ settled: 4, keptToPromised: 1, toPromised: 0.25, toRequested: 0.25 });
    expect(rate.weeks.map((week) => week.toPromised)).toEqual([1 / 3, null, 0]);
  });
});

describe('the deliveries CSV', () => {
  it('reads columns in any order and refuses an unknown one', () => {
    const read = readDeliveriesCsv('date,reference,missed,reason,cost expedite fees\r\n2026-12-01,SO-1,yes,transport,40\r\n');
    expect(read.problem).toBeNull();
    expect(read.rows[0]).toEqual({
      line: 2,
      row: { date: '2026-12-01', reference: 'SO-1', missed: true, reason: 'transport', cost: { 'expedite fees': '40' } },
    });
    expect(readDeliveriesCsv('reference,date,qty\r\n').problem).toContain('unknown column qty');
  });
});
