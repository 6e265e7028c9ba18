import type { MiddlewareObj } from '@middy/core';
import { Refused } from '#contract/refusal';
import { HttpError, ServiceUnavailable } from '#functions/runtime/errors';
import { describeError, log } from './logger';
import { httpErrorOf } from './refusals';
import { type ApiEvent, type ApiResult, json, type KernelContext, type KernelRequest, type KernelState } from './request';
import { isDatabaseUnavailable } from './unavailable';

/** The HTTP error an error answers as, or undefined for a fault of ours (a 500). */
export function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof Refused) return httpErrorOf(error);
  if (isDatabaseUnavailable(error)) return new ServiceUnavailable('The database is unavailable; retry shortly');
  return undefined;
}

/** The answer to an error: `{ error, message, details? }` with its status and headers. */
export function errorResponse(error: unknown): ApiResult {
  const known = asHttpError(error);
  if (!known) return json(500, { error: 'InternalError', message: 'Something went wrong on our side' });
  const body: Record<string, unknown> = { error: known.name, message: known.message };
  if (known.details !== undefined) body.details = known.details;
  return json(known.status, body, known.headers);
}

/**
 * The only place an error becomes an HTTP answer, for every route: the
 * kernel's own HTTP errors, the services' refusals, a database that is away
 * (503 with Retry-After), and anything else as a bare 500 whose cause goes to
 * the log, never to the caller.
 */
export function errorMapping(): MiddlewareObj<ApiEvent, ApiResult, Error, KernelContext, KernelState> {
  return {
    onError: (request: KernelRequest) => {
      const error = request.error;
      request.internal.error = error;
      request.response = errorResponse(error);
      const ids = { lambdaRequestId: request.context?.awsRequestId, apiRequestId: request.event?.requestContext?.requestId };
      if (request.response.statusCode === 500) log.error('Unhandled error', error, ids);
      else if (request.response.statusCode === 503) log.warn('Database unavailable', { ...ids, error: describeError(error) });
    },
  };
}
