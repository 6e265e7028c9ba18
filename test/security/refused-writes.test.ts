import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyRoute, type RouteName, routes } from '#contract/index';
import { type BenchTeam, benchTeam, scenarios } from '#scripts/bench/requests';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { useOwnTable } from '#test/support/own-table';
import { mayCall } from '#test/support/route-samples';

/**
 * A route's membership check runs beside its own reads, and its writes wait
 * for the check's verdict. This suite attacks that: every write route of the
 * route table gets the valid, successful call the bench makes for it (its
 * data set up first), sent instead by someone who may not make it: a member
 * of another workspace, and a rep where the route needs a manager or admin.
 * Each must be refused, and the table must not change by one attribute.
 */
let api: TestApi;
let team: BenchTeam;
let outsider: Person;
let tableName: string;

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);

/** JSON with every object's keys in order, so equal items read equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/** The whole table as sorted text; this file has a table of its own, so nothing else writes to it meanwhile. */
async function everything(): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) found.push(canonical(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return found.sort();
}

beforeAll(async () => {
  tableName = await useOwnTable('refused-writes');
  api = await startApi();
  team = await benchTeam(api, 'Refused Pumps');
  outsider = await api.person('refused-outsider');
  expect((await outsider.call('createWorkspace', { body: { name: 'Elsewhere' } })).status).toBe(201);
});
afterAll(async () => {
  db.destroy();
  await api.close();
});

const writeRoutes = (Object.entries(routes) as Array<[RouteName, AnyRoute]>).filter(
  ([name, route]) => route.writes && route.access.kind === 'member' && scenarios[name] !== undefined,
);

describe('writes of someone who may not make them', () => {
  it('covers every write route of a workspace', () => {
    const uncovered = (Object.entries(routes) as Array<[RouteName, AnyRoute]>)
      .filter(([, route]) => route.writes && route.access.kind === 'member')
      .filter(([name]) => scenarios[name] === undefined);
    expect(uncovered.map(([name]) => name)).toEqual([]);
    expect(writeRoutes.length).toBeGreaterThan(25);
  });

  it(
    'are refused with nothing written, for every write route, from another workspace and below the role',
    async () => {
      const refusals: string[] = [];
      for (const [name, route] of writeRoutes) {
        const call = await (scenarios[name] as NonNullable<(typeof scenarios)[string]>)(team);
        const callers: Array<[string, Person, number]> = [['outsider', outsider, 404]];
        if (!mayCall(route, 'rep', 'sales')) callers.push(['rep', team.rep, 403]);
        for (const [label, who, status] of callers) {
          const before = await everything();
          const answer = await who.request(call.method, call.path, call.body);
          expect(answer.status, `${name} by ${label}: ${JSON.stringify(answer.body)}`).toBe(status);
          expect(await everything(), `${name} by ${label} wrote`).toEqual(before);
          refusals.push(`${name}:${label}`);
        }
        // The same call by the one it was made for still works: the refusal came from who asked, not what.
        const allowed = await call.who.request(call.method, call.path, call.body);
        expect(allowed.status, `${name} by its own caller: ${JSON.stringify(allowed.body)}`).toBeLessThan(300);
      }
      expect(refusals.length).toBeGreaterThan(writeRoutes.length);
      // Its work grows with the route table: each write route sets itself up and snapshots the workspace per caller.
    },
    writeRoutes.length * 2_000,
  );
});
