import { isRecord } from '#functions/runtime/guards';

/**
 * SDK failures that mean "the database is away or busy": worth a retry, not a
 * 500. Told apart by the error's name, code and metadata, which the SDK and
 * Node set from the service's answer or the socket (a hung-up socket is
 * ECONNRESET, a timeout is TimeoutError); the text of a message is not a
 * contract and is never read.
 */
const unavailableErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether an error, or any error it wraps, says the database is unreachable,
 * throttling or too busy. Wrapped causes matter: the SDK and our own helpers
 * rethrow with the socket error underneath.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (unavailableErrors.has(error.name)) return true;
  // The SDK's and Node's error fields, read only where they are present.
  if ('code' in error && typeof error.code === 'string' && unavailableCodes.has(error.code)) return true;
  const metadata = '$metadata' in error && isRecord(error.$metadata) ? error.$metadata : undefined;
  const retryable = '$retryable' in error && isRecord(error.$retryable) ? error.$retryable : undefined;
  if (metadata?.httpStatusCode === 503 || retryable?.throttling === true) return true;
  // A cancellation that escaped transact() (table/transactions.ts) with a
  // part that collided or was throttled: busy, even beside a failed condition,
  // because a retry then answers the condition's 409 instead of a 500.
  const busyPart = (reason: unknown) =>
    isRecord(reason) && (reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError');
  const reasons = 'CancellationReasons' in error && Array.isArray(error.CancellationReasons) ? error.CancellationReasons : [];
  if (error.name === 'TransactionCanceledException' && reasons.some(busyPart)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}
