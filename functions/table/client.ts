import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv, requireEnv } from '#functions/runtime/env';
import { recordCapacity, recordRequest } from './request-meter';
import { passGate } from './write-gate';

/**
 * One document client per process, created at module scope so a warm Lambda
 * reuses its connections. `DYNAMODB_ENDPOINT` is set only when running
 * against DynamoDB Local; on AWS the SDK finds the regional endpoint itself.
 */
const endpoint = optionalEnv('DYNAMODB_ENDPOINT');

export const dynamo = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: optionalEnv('AWS_REGION') ?? 'eu-west-1',
    // A short attempt budget: when the database is away the API should answer
    // 503 quickly instead of holding the caller for the SDK's default backoff.
    // Without throwOnRequestTimeout the SDK only logs a late answer and waits on.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2500, throwOnRequestTimeout: true },
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);

/** Commands that can report the capacity they consumed (the item reads and writes, queries and scans). */
const capacityReporting = /^(?:(?:Get|Put|Update|Delete|BatchGet|BatchWrite)Item|Transact(?:Get|Write)Items|Query|Scan)Command$/;

const unitsOfOne = (consumed: unknown): number =>
  typeof consumed === 'object' && consumed !== null && 'CapacityUnits' in consumed && typeof consumed.CapacityUnits === 'number'
    ? consumed.CapacityUnits
    : 0;

/** A transaction or batch reports its capacity per table (a list); other requests report one figure. */
const unitsOf = (consumed: unknown): number =>
  Array.isArray(consumed) ? consumed.reduce((sum: number, part) => sum + unitsOfOne(part), 0) : unitsOfOne(consumed);

// Counted once per request sent (retries of one request are not new requests).
// Each request also asks for its consumed capacity in total, which costs a
// few bytes of the answer, for the request log (kernel/logging.ts).
dynamo.middlewareStack.add(
  (next, context) => async (args) => {
    const command = String(context.commandName ?? 'unknown');
    await passGate(command);
    const answered = recordRequest(command);
    try {
      const input: object = args.input;
      const ask =
        capacityReporting.test(command) && !('ReturnConsumedCapacity' in input && input.ReturnConsumedCapacity !== undefined);
      const result = await next(ask ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args);
      const output: object = result.output;
      recordCapacity(unitsOf('ConsumedCapacity' in output ? output.ConsumedCapacity : undefined));
      return result;
    } finally {
      answered();
    }
  },
  { step: 'initialize', name: 'accordRequestMeter' },
);

let cachedTableName: string | undefined;

/** The table name, read from the environment on first use and then kept. */
export const tableName = (): string => {
  cachedTableName ??= requireEnv('TABLE_NAME');
  return cachedTableName;
};
