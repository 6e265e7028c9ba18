import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client of the cold-start baselines: made at module scope with
 * nothing but the endpoint, region and (locally) credentials, the least an API
 * function's client can be.
 */
const endpoint = process.env.DYNAMODB_ENDPOINT;
export const bareClient = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-1',
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  }),
);
