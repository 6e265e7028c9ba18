import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareReplay, type RecordingProxy, replayOf, sameShape, startRecordingProxy } from '#scripts/bench/replay';
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
    expect(replay.rounds.map((round) => round.map((r) => r.operation))).toEqual([
      ['GetItem', 'GetItem'],
      ['TransactWriteItems'],
      ['Query'],
    ]);
    const transaction = replay.rounds[1]?.[0]?.input as { TransactItems: Array<Record<string, Record<string, unknown>>> };
    // The check is dropped with the conditions: the baseline does no more than the function did.
    expect(transaction.TransactItems.map((part) => Object.keys(part)[0])).toEqual(['Put', 'Update']);
    const [put, update] = transaction.TransactItems;
    expect(put?.Put?.ConditionExpression).toBeUndefined();
    expect(put?.Put?.Item).toMatchObject({ pk: `REPLAY#${pk}`, gsi1pk: `REPLAY#${pk}#LIST` });
    // The condition's own value goes with it; DynamoDB refuses values no expression uses.
    expect(update?.Update?.ExpressionAttributeValues).toEqual({ ':one': 1, ':tags': ['x'] });
    expect(replay.rounds[1]?.[0]?.sets).toEqual([['TransactItems', 1, 'Update', 'ExpressionAttributeValues', ':tags']]);

    await prepareReplay(replay, table, process.env.DYNAMODB_ENDPOINT ?? '');
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    process.env.DYNAMODB_ENDPOINT = proxy.endpoint;
    const { handler } = await import('#scripts/bench/replay-handler');
    process.env.DYNAMODB_ENDPOINT = endpoint;
    const answer = await handler({ rounds: replay.rounds });
    expect(answer.statusCode).toBe(200);
    expect(sameShape(replay, replayOf(proxy.take()))).toBe(true);

    // The measured records are as the "function" left them; the replay's writes landed in the scratch copy.
    const real = await dynamo.send(new GetCommand({ TableName: table, Key: counter }));
    expect(real.Item).toMatchObject({ count: 1, version: 2, tags: new Set(['x']) });
    const copy = await dynamo.send(new GetCommand({ TableName: table, Key: { pk: `REPLAY#${pk}`, sk: 'COUNTER' } }));
    expect(copy.Item).toMatchObject({ version: 3, tags: new Set(['x']) });
    const scratchPut = await dynamo.send(new GetCommand({ TableName: table, Key: { pk: `REPLAY#${pk}`, sk: 'NEW' } }));
    expect(scratchPut.Item?.gsi1pk).toBe(`REPLAY#${pk}#LIST`);
  });

  it('tells a replay of other requests from a faithful one', () => {
    const at = (start: number, end: number, operation: string) => ({ operation, body: {}, start, end });
    const sideBySide = replayOf([at(0, 5, 'GetItem'), at(1, 6, 'Query')]);
    const oneAfterOther = replayOf([at(0, 5, 'GetItem'), at(7, 9, 'Query')]);
    expect(sideBySide.rounds).toHaveLength(1);
    expect(oneAfterOther.rounds).toHaveLength(2);
    expect(sameShape(sideBySide, oneAfterOther)).toBe(false);
    expect(sameShape(sideBySide, replayOf([at(3, 9, 'Query'), at(4, 8, 'GetItem')]))).toBe(true);
  });
});
