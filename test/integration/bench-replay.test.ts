import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareReplay, type RecordingProxy, replayOf, sameRequests, startRecordingProxy } from '#scripts/bench/replay';
import { dynamo, tableName } from '#test/support/table';

/**
 * The first-answer baseline replays a function's requests through the bare
 * SDK (BENCHMARKS.md). These tests hold it to the same requests in the same
 * round trips, without touching the records the function measured.
 */
let proxy: RecordingProxy;
let client: DynamoDBDocumentClient;
beforeAll(async () => {
  proxy = await startRecordingProxy(process.env.DYNAMODB_ENDPOINT ?? '');
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
  );
  // A client's first request sets it up; after that, requests sent side by side leave together.
  await client.send(new GetCommand({ TableName: tableName(), Key: { pk: 'BENCH#TEST', sk: 'WARM' } }));
});
afterAll(async () => {
  client.destroy();
  await proxy.close();
});

describe('the replay of a first answer', () => {
  it('sends the same requests in the same round trips, with writes kept off the measured records', async () => {
    const table = tableName();
    const pk = `BENCH#TEST#${randomUUID()}`;
    const counter = { pk, sk: 'COUNTER' };
    await dynamo.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { ...counter, count: 1, version: 1 } } }] }),
    );

    proxy.take();
    // Round 1: two reads side by side; round 2: a conditional transaction; round 3: a query.
    await Promise.all([
      client.send(new GetCommand({ TableName: table, Key: counter })),
      client.send(new GetCommand({ TableName: table, Key: { pk, sk: 'NONE' } })),
    ]);
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { pk, sk: 'NEW', gsi1pk: `${pk}#LIST`, gsi1sk: 'a' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table,
              Key: counter,
              UpdateExpression: 'SET version = version + :one ADD tags :tags',
              ConditionExpression: 'version = :seen',
              ExpressionAttributeValues: { ':one': 1, ':seen': 1, ':tags': new Set(['x']) },
            },
          },
          { ConditionCheck: { TableName: table, Key: { pk, sk: 'NONE' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    await client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    );

    const replay = replayOf(proxy.take());
    // What was sent after an answer is a round of its own; the two reads sent side by side are one round, or two when
    // the second reached the proxy after the first's answer (a busy machine).
    const operations = replay.rounds.map((round) => round.map((r) => r.operation));
    expect(operations.slice(-2)).toEqual([['TransactWriteItems'], ['Query']]);
    expect(operations.slice(0, -2).flat()).toEqual(['GetItem', 'GetItem']);
    const written = replay.rounds.at(-2)?.[0];
    const transaction = written?.input as { TransactItems: Array<Record<string, Record<string, unknown>>> };
    // The check is dropped with the conditions: the baseline does no more than the function did.
    expect(transaction.TransactItems.map((part) => Object.keys(part)[0])).toEqual(['Put', 'Update']);
    const [put, update] = transaction.TransactItems;
    expect(put?.Put?.ConditionExpression).toBeUndefined();
    expect(put?.Put?.Item).toMatchObject({ pk: `REPLAY#${pk}`, gsi1pk: `REPLAY#${pk}#LIST` });
    // The condition's own value goes with it; DynamoDB refuses values no expression uses.
    expect(update?.Update?.ExpressionAttributeValues).toEqual({ ':one': 1, ':tags': ['x'] });
    expect(written?.sets).toEqual([['TransactItems', 1, 'Update', 'ExpressionAttributeValues', ':tags']]);

    await prepareReplay(replay, table, process.env.DYNAMODB_ENDPOINT ?? '');
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    process.env.DYNAMODB_ENDPOINT = proxy.endpoint;
    const { handler } = await import('#scripts/bench/replay-handler');
    process.env.DYNAMODB_ENDPOINT = endpoint;
    const answer = await handler({ rounds: replay.rounds });
    expect(answer.statusCode).toBe(200);
    expect(sameRequests(replay, replayOf(proxy.take()))).toBe(true);

    // The measured records are as the "function" left them; the replay's writes landed in the scratch copy.
    const real = await dynamo.send(new GetCommand({ TableName: table, Key: counter }));
    expect(real.Item).toMatchObject({ count: 1, version: 2, tags: new Set(['x']) });
    const copy = await dynamo.send(new GetCommand({ TableName: table, Key: { pk: `REPLAY#${pk}`, sk: 'COUNTER' } }));
    expect(copy.Item).toMatchObject({ version: 3, tags: new Set(['x']) });
    const scratchPut = await dynamo.send(new GetCommand({ TableName: table, Key: { pk: `REPLAY#${pk}`, sk: 'NEW' } }));
    expect(scratchPut.Item?.gsi1pk).toBe(`REPLAY#${pk}#LIST`);
  });

  it('groups requests into round trips by when they reached the proxy, and tells other requests from the same', () => {
    const at = (start: number, end: number, operation: string, body: Record<string, unknown> = {}) => ({
      operation,
      body,
      start,
      end,
    });
    const sideBySide = replayOf([at(0, 5, 'GetItem'), at(1, 6, 'Query')]);
    const oneAfterOther = replayOf([at(0, 5, 'GetItem'), at(7, 9, 'Query')]);
    expect(sideBySide.rounds).toHaveLength(1);
    expect(oneAfterOther.rounds).toHaveLength(2);
    expect(sameRequests(sideBySide, oneAfterOther)).toBe(true);
    expect(sameRequests(sideBySide, replayOf([at(0, 5, 'GetItem'), at(1, 6, 'Scan')]))).toBe(false);
    const batch = (keys: number) => ({
      RequestItems: { t: { Keys: Array.from({ length: keys }, (_, n) => ({ pk: { S: `${n}` } })) } },
    });
    expect(sameRequests(replayOf([at(0, 1, 'BatchGetItem', batch(3))]), replayOf([at(0, 1, 'BatchGetItem', batch(2))]))).toBe(
      false,
    );
    expect(sameRequests(replayOf([at(0, 1, 'BatchGetItem', batch(3))]), replayOf([at(0, 1, 'BatchGetItem', batch(3))]))).toBe(
      true,
    );
  });
});
