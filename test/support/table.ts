import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The tests' own door to DynamoDB Local, beside the API rather than through
 * its internals: for setting up a state no route makes (an item of an older
 * format, a counter near its cap) and for checking what a request wrote.
 */
export const dynamo = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);

/** The table of this test file (a file may take one of its own: own-table.ts). */
export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set: test/support/env.ts sets it');
  return name;
}
