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

interface SdkErrorShape {
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  CancellationReasons?: Array<{ Code?: string }>;
  cause?: unknown;
}

/**
 * Whether an error, or any error it wraps, says the database is unreachable,
 * throttling or too busy. Wrapped causes matter: the SDK and our own helpers
 * rethrow with the socket error underneath.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const shape = error as Error & SdkErrorShape;
  if (unavailableErrors.has(error.name)) return true;
  if (typeof shape.code === 'string' && unavailableCodes.has(shape.code)) return true;
  const status = shape.$metadata?.httpStatusCode;
  if (status === 503 || shape.$retryable?.throttling) return true;
  // A cancellation that escaped transact() (table/transactions.ts) with a
  // part that collided or was throttled: busy, even beside a failed condition,
  // because a retry then answers the condition's 409 instead of a 500.
  const busyPart = (reason: { Code?: string }) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError';
  if (error.name === 'TransactionCanceledException' && (shape.CancellationReasons ?? []).some(busyPart)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(shape.cause, depth + 1);
}
