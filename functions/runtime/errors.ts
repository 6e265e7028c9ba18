/**
 * Errors a handler may throw. Each one knows its HTTP status; the error
 * middleware is the only place that turns them into a response, so handlers
 * never build error bodies themselves.
 */
export interface FieldProblem {
  /** Dotted path of the failing field, e.g. `body.email` or `path.workspaceId`. */
  field: string;
  message: string;
}

export abstract class HttpError extends Error {
  abstract readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(message: string, details?: unknown, headers?: Record<string, string>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
    this.headers = headers;
  }
}

export class BadRequest extends HttpError {
  readonly status = 400;
}

/** Input failed its schema: `details` lists every failing field. */
export class ValidationFailed extends HttpError {
  readonly status = 400;
  constructor(problems: FieldProblem[]) {
    super(`Invalid input: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  }
}

export class Unauthorized extends HttpError {
  readonly status = 401;
}

export class Forbidden extends HttpError {
  readonly status = 403;
}

export class NotFound extends HttpError {
  readonly status = 404;
}

/** A write lost a race or broke a rule about current state; `details` carries the current item when known. */
export class Conflict extends HttpError {
  readonly status = 409;
}

export class PayloadTooLarge extends HttpError {
  readonly status = 413;
}

export class UnsupportedMediaType extends HttpError {
  readonly status = 415;
}

/** A caller sent more requests than its limit allows in the current window; `Retry-After` says when to try again. */
export class TooManyRequests extends HttpError {
  readonly status = 429;
  constructor(message: string, retryAfterSeconds: number, details?: unknown) {
    super(message, details, { 'retry-after': String(retryAfterSeconds) });
  }
}

/** The database is unreachable or throttling: the client should retry later. */
export class ServiceUnavailable extends HttpError {
  readonly status = 503;
  constructor(message: string, retryAfterSeconds = 2) {
    super(message, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}

/**
 * A limit of the service was reached (items per workspace, list length, page
 * size): `details` names the limit and its maximum so the caller can adapt.
 */
export class LimitExceeded extends HttpError {
  readonly status = 422;
}

/** An `Idempotency-Key` was reused with a different request: the first request's answer would be wrong for this one. */
export class IdempotencyKeyReused extends HttpError {
  readonly status = 422;
}
