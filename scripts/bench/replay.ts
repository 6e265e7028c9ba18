import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * What the first-answer baseline replays (replay-handler.ts): the database
 * requests one cold start of a function sent, recorded by a proxy in front of
 * DynamoDB Local that every cold start of the section goes through, so the
 * proxy's hop is on both sides of a ratio.
 */
export interface Recorded {
  operation: string;
  body: Record<string, unknown>;
  start: number;
  end: number;
}

export interface RecordingProxy {
  endpoint: string;
  /** The requests recorded since the last take, in the order they arrived. */
  take(): Recorded[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let recorded: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const start = performance.now();
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      const out = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(Buffer.concat(parts));
            recorded.push({ operation, body: JSON.parse(body.toString('utf8') || '{}'), start, end: performance.now() });
          });
        },
      );
      out.on('error', (error) => {
        res.writeHead(502);
        res.end(error.message);
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Groups recorded requests into round trips: a request sent before every
 * earlier one was answered went side by side with them.
 */
export function roundsOf(recorded: Recorded[]): Recorded[][] {
  const rounds: Recorded[][] = [];
  let answeredBy = Number.NEGATIVE_INFINITY;
  for (const request of [...recorded].sort((a, b) => a.start - b.start)) {
    const current = rounds.at(-1);
    if (current && request.start < answeredBy) {
      current.push(request);
      answeredBy = Math.max(answeredBy, request.end);
    } else {
      rounds.push([request]);
      answeredBy = request.end;
    }
  }
  return rounds;
}

/** Written items go to a copy of their partition, so a replay leaves the measured records as they were. */
const scratch = (pk: unknown) => `REPLAY#${String(pk)}`;
const keyOf = (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk });

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Binary values would not survive JSON; no record holds one, and a replay refuses them rather than change them. */
function noBinary(value: unknown, path: string): unknown {
  if (value instanceof Uint8Array) throw new Error(`cannot replay ${path}: a binary value`);
  if (Array.isArray(value) || value instanceof Set) for (const entry of value) noBinary(entry, path);
  else if (isObject(value)) for (const [name, entry] of Object.entries(value)) noBinary(entry, `${path}.${name}`);
  return value;
}

const native = (value: unknown, path: string) => noBinary(unmarshall(value as Parameters<typeof unmarshall>[0]), path) as Json;

/** Sets travel in JSON as lists, with where they were, so the replay turns them back into sets. */
function setsToLists(value: unknown, path: Array<string | number>, found: Array<Array<string | number>>): unknown {
  if (value instanceof Set) {
    found.push(path);
    return [...value];
  }
  if (Array.isArray(value)) return value.map((entry, index) => setsToLists(entry, [...path, index], found));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, setsToLists(entry, [...path, name], found)]));
}

/** The wire request as a document-client input: attribute values unmarshalled, the rest as sent. */
function toNative(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((entry, index) => toNative(entry, `${path}.${index}`));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [name, entry] of Object.entries(value)) {
    if (['Key', 'Item', 'ExclusiveStartKey', 'ExpressionAttributeValues'].includes(name)) out[name] = native(entry, path);
    else if (name === 'Keys' && Array.isArray(entry)) out[name] = entry.map((key) => native(key, path));
    else out[name] = toNative(entry, `${path}.${name}`);
  }
  return out;
}

const expressions = ['UpdateExpression', 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'];

/**
 * A write without its condition: a replay cannot meet the conditions the
 * function's own write just used up (an id that must not exist yet). Names
 * and values only the condition used go with it, as DynamoDB refuses unused
 * ones. The baseline so does a little less work than the function, never more.
 */
function withoutCondition(part: Json): Json {
  const { ConditionExpression: _c, ReturnValuesOnConditionCheckFailure: _r, ...rest } = part;
  const used = expressions.map((name) => String(rest[name] ?? '')).join(' ');
  for (const [field, sigil] of [
    ['ExpressionAttributeNames', '#'],
    ['ExpressionAttributeValues', ':'],
  ] as const) {
    const map = rest[field];
    if (!isObject(map)) continue;
    const kept = Object.fromEntries(
      Object.entries(map).filter(([token]) => new RegExp(`${token.replace(sigil, `\\${sigil}`)}(?![\\w])`).test(used)),
    );
    if (Object.keys(kept).length > 0) rest[field] = kept;
    else delete rest[field];
  }
  return rest;
}

/** Moves a written item or key to its scratch partition, and notes the real key to copy there first. */
function redirect(part: Json, written: Json[]): Json {
  if (isObject(part.Item)) {
    written.push(keyOf(part.Item));
    const item: Json = { ...part.Item, pk: scratch(part.Item.pk) };
    if (item.gsi1pk !== undefined) item.gsi1pk = scratch(item.gsi1pk);
    return { ...part, Item: item };
  }
  if (isObject(part.Key)) {
    written.push(keyOf(part.Key));
    return { ...part, Key: { ...part.Key, pk: scratch(part.Key.pk) } };
  }
  return part;
}

const writeOne = (part: Json, written: Json[]) => redirect(withoutCondition(part), written);

export interface ReplayedRequest {
  operation: string;
  input: Json;
  /** Where the input holds sets, sent as lists. */
  sets: Array<Array<string | number>>;
}

export interface Replay {
  rounds: ReplayedRequest[][];
  /** The real keys the replay writes (in their scratch partitions). */
  written: Json[];
}

/** The replay of one cold start's requests. */
export function replayOf(recorded: Recorded[]): Replay {
  const written: Json[] = [];
  const rounds = roundsOf(recorded).map((round) =>
    round.map(({ operation, body }): ReplayedRequest => {
      const sets: Array<Array<string | number>> = [];
      const input = setsToLists(requestOf(operation, body, written), [], sets) as Json;
      return { operation, input, sets };
    }),
  );
  return { rounds, written };
}

/** One recorded request as the bare SDK sends it again: conditions dropped, writes to scratch partitions. */
function requestOf(operation: string, body: Json, written: Json[]): Json {
  const { ClientRequestToken: _token, ...input } = toNative(body, operation) as Json;
  if (operation === 'TransactWriteItems' && Array.isArray(input.TransactItems)) {
    input.TransactItems = input.TransactItems.filter((entry: Json) => !('ConditionCheck' in entry)).map((entry: Json) =>
      Object.fromEntries(Object.entries(entry).map(([kind, part]) => [kind, writeOne(part as Json, written)])),
    );
  } else if (operation === 'BatchWriteItem' && isObject(input.RequestItems)) {
    input.RequestItems = Object.fromEntries(
      Object.entries(input.RequestItems).map(([table, requests]) => [
        table,
        (requests as Json[]).map((request) =>
          Object.fromEntries(Object.entries(request).map(([kind, part]) => [kind, redirect(part as Json, written)])),
        ),
      ]),
    );
  } else if (['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation)) {
    return writeOne(input, written);
  }
  return input;
}

/** How many items or keys a request carries: one for a single-item request. */
function sizeOf(input: Json): number {
  if (Array.isArray(input.TransactItems)) return input.TransactItems.length;
  if (isObject(input.RequestItems))
    return Object.values(input.RequestItems).reduce<number>(
      (sum, entry) =>
        sum + (Array.isArray(entry) ? entry.length : isObject(entry) && Array.isArray(entry.Keys) ? entry.Keys.length : 0),
      0,
    );
  return 1;
}

/**
 * Whether two replays send the same requests: each kind as often, with as many items. Not their rounds: requests
 * sent side by side can reach the proxy one after the other's answer when the sender is slow to send the second,
 * so the proxy's rounds are at least the sender's, and a replay keeps the rounds it was given.
 */
export function sameRequests(a: Replay, b: Replay): boolean {
  const requests = (replay: Replay) =>
    JSON.stringify(replay.rounds.flatMap((round) => round.map((r) => `${r.operation}×${sizeOf(r.input)}`)).sort());
  return requests(a) === requests(b);
}

/** One client for every round's copies, made on the first. */
let copier: DynamoDBDocumentClient | undefined;

/**
 * Copies each record a replay writes into its scratch partition as it stands,
 * so an update of it finds the attributes it adds to. Run before the replay
 * starts: not part of what is measured.
 */
export async function prepareReplay(replay: Replay, table: string, endpoint: string): Promise<void> {
  copier ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const client = copier;
  const seen = new Set<string>();
  for (const key of replay.written) {
    const id = `${String(key.pk)}\u0000${String(key.sk)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: key }));
    if (!Item) continue;
    const copy: Json = { ...Item, pk: scratch(Item.pk) };
    if (copy.gsi1pk !== undefined) copy.gsi1pk = scratch(copy.gsi1pk);
    await client.send(new PutCommand({ TableName: table, Item: copy }));
  }
}
