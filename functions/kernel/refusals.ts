import type { Refused } from '#contract/refusal';
import {
  BadRequest,
  Conflict,
  Forbidden,
  type HttpError,
  LimitExceeded,
  NotFound,
  ValidationFailed,
} from '#functions/runtime/errors';

/**
 * The HTTP error a refusal answers as: the same statuses and bodies the
 * handlers' HTTP errors gave, so moving a rule into a service changes no
 * answer (invalid 400, forbidden 403, not-found 404, conflict 409, limit 422).
 */
export function httpErrorOf({ refusal }: Refused): HttpError {
  const { reason, details } = refusal;
  switch (refusal.kind) {
    case 'invalid':
      if (refusal.problems) return new ValidationFailed(refusal.problems);
      return refusal.field !== undefined
        ? new ValidationFailed([{ field: refusal.field, message: reason }])
        : new BadRequest(reason, details);
    case 'forbidden':
      return new Forbidden(reason, details);
    case 'not-found':
      return new NotFound(reason, details);
    case 'conflict':
      return new Conflict(reason, details);
    case 'limit':
      return new LimitExceeded(reason, details);
  }
}
