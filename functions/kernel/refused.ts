import { Refused } from '#contract/refusal';
import { BadRequest, Conflict, Forbidden, type HttpError, LimitExceeded, NotFound, ValidationFailed } from './errors';

/**
 * The answer to a refusal a use case threw: the same status and body the
 * HTTP error it replaces gave (an invalid field answers like a failed schema).
 */
export function httpErrorOf<E>(error: E): E | HttpError {
  if (!(error instanceof Refused)) return error;
  const { kind, reason, field, details } = error.refusal;
  switch (kind) {
    case 'invalid':
      return field ? new ValidationFailed([{ field, message: reason }]) : new BadRequest(reason);
    case 'forbidden':
      return new Forbidden(reason);
    case 'not-found':
      return new NotFound(reason);
    case 'conflict':
      return new Conflict(reason, details);
    case 'limit':
      return new LimitExceeded(reason, details as { limit: string; max: number });
  }
}
