import { describe, expect, it } from 'vitest';
import { Refused, refuse } from '#contract/refusal';
import { HttpError } from '#functions/runtime/errors';
import { httpErrorOf as answerOf } from './refusals';

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
