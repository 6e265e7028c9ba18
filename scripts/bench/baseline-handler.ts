import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start baseline: the least an API function can be, a document
 * client made at module scope and one GetItem per call. Bundled with the same
 * options as the real functions, so the ratio shows what Accord's own code
 * and libraries add on top of the SDK.
 */
const endpoint = process.env.DYNAMODB_ENDPOINT;
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-1',
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  }),
);

export const handler = async () => {
  const answer = await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'BENCH', sk: 'BASELINE' } }));
  return { statusCode: 200, body: JSON.stringify({ found: Boolean(answer.Item) }) };
};
