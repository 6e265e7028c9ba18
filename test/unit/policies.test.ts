import { describe, expect, it } from 'vitest';
import { commitmentCancelRefusal, commitmentDateRefusal, commitmentWeeksRefusal } from '#contract/catalogue/policies';
import { costMinor, normalisedCost, sumCost } from '#contract/misalignment/misalignment';
import { issueStatusRefusal, occurrenceCorrectionRefusal, votesRefusal } from '#contract/misalignment/policies';
import { Refused, refuse } from '#contract/refusal';
import { httpErrorOf as answerOf } from '#functions/kernel/refusals';
import { HttpError } from '#functions/runtime/errors';

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

describe('refusals answered by the kernel', () => {
  const httpErrorOf = (error: unknown) => (error instanceof Refused ? answerOf(error) : error);
  const answer = (error: unknown) => {
    const mapped = httpErrorOf(error);
    return mapped instanceof HttpError
      ? { status: mapped.status, error: mapped.name, message: mapped.message, details: mapped.details }
      : mapped;
  };

  it('answers an invalid field exactly like a failed schema, and each kind with its status', () => {
    expect(answer(refuse.invalid('must be EUR', 'body.currency'))).toEqual({
      status: 400,
      error: 'ValidationFailed',
      message: 'Invalid input: body.currency must be EUR',
      details: [{ field: 'body.currency', message: 'must be EUR' }],
    });
    expect(answer(refuse.invalid('Split it'))).toMatchObject({ status: 400, error: 'BadRequest', message: 'Split it' });
    expect(answer(refuse.forbidden('No'))).toMatchObject({ status: 403, error: 'Forbidden' });
    expect(answer(refuse.notFound('Gone'))).toMatchObject({ status: 404, error: 'NotFound' });
    expect(answer(refuse.conflict('Changed', { current: 1 }))).toEqual({
      status: 409,
      error: 'Conflict',
      message: 'Changed',
      details: { current: 1 },
    });
    const other = new Error('boom');
    expect(httpErrorOf(other)).toBe(other);
  });
});
