import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { bareClient } from './bare-client';

/**
 * The first-answer baseline: a bare SDK handler, made like the GetItem
 * baseline, that sends the database requests a function's first answer sent,
 * in the same round trips (a round's requests side by side). The event
 * carries them (see replay.ts), so the ratio of a function's first answer to
 * this one's shows what Accord's own code and libraries add to the same
 * requests, not what DynamoDB Local takes to serve a bigger transaction.
 */
// The inputs are recorded requests, checked by DynamoDB itself.
type Input = any;
const send: Record<string, (input: Input) => Promise<unknown>> = {
  GetItem: (input) => bareClient.send(new GetCommand(input)),
  PutItem: (input) => bareClient.send(new PutCommand(input)),
  UpdateItem: (input) => bareClient.send(new UpdateCommand(input)),
  DeleteItem: (input) => bareClient.send(new DeleteCommand(input)),
  Query: (input) => bareClient.send(new QueryCommand(input)),
  Scan: (input) => bareClient.send(new ScanCommand(input)),
  BatchGetItem: (input) => bareClient.send(new BatchGetCommand(input)),
  BatchWriteItem: (input) => bareClient.send(new BatchWriteCommand(input)),
  TransactGetItems: (input) => bareClient.send(new TransactGetCommand(input)),
  TransactWriteItems: (input) => bareClient.send(new TransactWriteCommand(input)),
};

type Path = Array<string | number>;

/** Sets came as lists (JSON has none): each is made a set again where the recorded request had one. */
function withSets(input: Input, sets: Path[]): Input {
  for (const path of sets) {
    const parent = path.slice(0, -1).reduce((at, step) => at[step], input);
    const last = path.at(-1) ?? '';
    parent[last] = new Set(parent[last]);
  }
  return input;
}

export const handler = async (event: { rounds: Array<Array<{ operation: string; input: Input; sets: Path[] }>> }) => {
  try {
    for (const round of event.rounds) {
      await Promise.all(
        round.map(({ operation, input, sets }) => {
          const request = send[operation];
          if (!request) throw new Error(`no replay for ${operation}`);
          return request(sets.length > 0 ? withSets(input, sets) : input);
        }),
      );
    }
    return { statusCode: 200, body: JSON.stringify({ rounds: event.rounds.length }) };
  } catch (error) {
    return { statusCode: 500, body: JSON.stringify({ error: error instanceof Error ? error.message : String(error) }) };
  }
};
