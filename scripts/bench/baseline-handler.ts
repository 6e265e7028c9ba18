import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { bareClient } from './bare-client';

/**
 * The cold-start baseline: the least an API function can be, a document
 * client made at module scope and one GetItem per call. Bundled with the same
 * options as the real functions, so the ratio shows what Accord's own code
 * and libraries add on top of the SDK.
 */
export const handler = async () => {
  const answer = await bareClient.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'BENCH', sk: 'BASELINE' } }),
  );
  return { statusCode: 200, body: JSON.stringify({ found: Boolean(answer.Item) }) };
};
