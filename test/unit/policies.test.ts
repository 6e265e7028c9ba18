import { describe, expect, it } from 'vitest';
import { commitmentCancelRefusal, commitmentDateRefusal, commitmentWeeksRefusal } from '#contract/catalogue/policies';
import { costMinor, normalisedCost, sumCost } from '#contract/misalignment/misalignment';
import { issueStatusRefusal, occurrenceCorrectionRefusal, votesRefusal } from '#contract/misalignment/policies';

const rep = { email: 'rep@example.com', role: 'rep' as const };
const otherRep = { email: 'other@example.com', role: 'rep' as const };
const manager = { email: 'manager@example.com', role: 'manager' as const };

describe('misalignment policies', () => {
  it('moves an issue only along its transitions, as a conflict', () => {
    expect(issueStatusRefusal('open', 'analysing')).toBeNull();
    expect(issueStatusRefusal('resolved', 'analysing')).toMatchObject({ kind: 'conflict', reason: /cannot become analysing/ });
  });

  it('lets the reporter or a manager correct an occurrence, nobody else', () => {
    const occurrence = { reporter: rep.email };
    expect(occurrenceCorrectionRefusal(occurrence, rep, rep)).toBeNull();
    expect(occurrenceCorrectionRefusal(occurrence, manager, manager)).toBeNull();
    expect(occurrenceCorrectionRefusal(occurrence, otherRep, otherRep)).toMatchObject({ kind: 'forbidden' });
    expect(occurrenceCorrectionRefusal(occurrence, rep, undefined)).toMatchObject({ kind: 'forbidden' });
  });

  it('names body.allocations when votes go over the limit', () => {
    expect(votesRefusal([{ issueId: 'a', votes: 3 }], 10)).toBeNull();
    expect(votesRefusal([{ issueId: 'a', votes: 11 }], 10)).toMatchObject({ kind: 'invalid', field: 'body.allocations' });
  });
});

describe('catalogue policies', () => {
  const active = { status: 'approved' as const, recordedBy: rep.email };

  it('lets whoever recorded a commitment, or a manager, cancel it once', () => {
    expect(commitmentCancelRefusal(active, rep)).toBeNull();
    expect(commitmentCancelRefusal(active, manager)).toBeNull();
    expect(commitmentCancelRefusal(active, otherRep)).toMatchObject({ kind: 'forbidden' });
    expect(commitmentCancelRefusal(active, undefined)).toMatchObject({ kind: 'forbidden' });
    expect(commitmentCancelRefusal({ ...active, status: 'cancelled' }, otherRep)).toMatchObject({ kind: 'conflict' });
  });

  it('refuses a delivery today or earlier, and more weeks than a transaction holds', () => {
    expect(commitmentDateRefusal('2026-12-01', '2026-11-30')).toBeNull();
    expect(commitmentDateRefusal('2026-11-30', '2026-11-30')).toMatchObject({ kind: 'invalid' });
    expect(commitmentWeeksRefusal(80, 80)).toBeNull();
    expect(commitmentWeeksRefusal(81, 80)).toMatchObject({ kind: 'invalid', reason: /at most 80 weeks/ });
  });
});

describe('the one cost sum', () => {
  it('adds the cents of each part, so totals agree with the aggregates', () => {
    const cost = { 'extra resources': 0.1, 'expedite fees': 0.2, other: 10.005 };
    expect(costMinor(cost)).toBe(10 + 20 + 1001);
    expect(sumCost(cost)).toBe(10.31);
    expect(normalisedCost(cost)).toEqual({
      'extra resources': 0.1,
      'expedite fees': 0.2,
      'setup change': 0,
      'delayed production': 0,
      other: 10.01,
    });
  });
});
