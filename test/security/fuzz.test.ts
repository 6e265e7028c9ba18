import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { pathOf, routeEntries, samplePathParams } from '#test/support/route-samples';
import { snapshot } from '#test/support/snapshot';

/**
 * Hostile input against every write route of the route table, sent by the
 * workspace's admin so it gets past access and reaches validation: only 4xx
 * with a JSON error comes back, and the store is byte-for-byte unchanged.
 */
let api: TestApi;
let admin: Person;
let workspaceId: string;
let bystanderId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('fuzz-admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Fuzzed Ltd' } })).body.id;
  bystanderId = (await (await api.person('fuzz-bystander')).call('createWorkspace', { body: { name: 'Bystander' } })).body.id;
  await admin.call('createPortfolioItem', {
    params: { workspaceId },
    body: {
      code: 'FZ-1',
      name: 'Fuzz target',
      kind: 'product',
      unit: 'unit',
    },
  });
});
afterAll(async () => {
  await api.close();
});

const runsPerRoute = 1000;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const writeRoutes = routeEntries.filter(([, route]) => route.method !== 'GET');

const hostileStrings = [
  "'; DROP TABLE accord; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  ['$', '{7*7}{{7*7}}'].join(''),
  '../../../etc/passwd',
  '%00%2e%2e%2f',
  'AUDIT#2026-01-01T00:00:00.000Z#x',
  'WS#00000000-0000-4000-8000-000000000000',
  'attribute_not_exists(pk)',
  '\u0000\u202e\ud83d\ude00\u0301',
  'ｅｘａｍｐｌｅ＠ｔｅｓｔ．ｅｘａｍｐｌｅ',
  '\ud800',
];
const pollutionKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

const hostileString = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);
const wrongValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

/** Field names a route's body schema knows, to aim wrong types at them. */
const knownFields = (route: (typeof writeRoutes)[number][1]) =>
  Object.keys((route.body as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

/** A raw body: always something the route must refuse (an unknown or polluting key, a wrong type, not JSON, too big). */
const bodyFor = (route: (typeof writeRoutes)[number][1]) => {
  const fields = knownFields(route);
  const objectBody = fc
    .tuple(
      fc.dictionary(fields.length > 0 ? fc.constantFrom(...fields) : hostileString, wrongValue, { maxKeys: 6 }),
      fc.oneof(
        fc.constantFrom(...pollutionKeys),
        hostileString.map((k) => `unknown_${k}`),
      ),
      wrongValue,
    )
    .map(([known, extraKey, extraValue]) => {
      const text = JSON.stringify(known);
      const extra = `${JSON.stringify(extraKey)}:${JSON.stringify(extraValue ?? null)}`;
      return text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`;
    });
  return fc.oneof(
    { weight: 5, arbitrary: objectBody },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue()
        .filter((v) => v === null || typeof v !== 'object')
        .map((v) => JSON.stringify(v)),
    },
    { weight: 1, arbitrary: fc.array(wrongValue, { maxLength: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hostileString.map((s) => `{"a": ${s}`) },
    { weight: 1, arbitrary: fc.constant(`{"name": "${'y'.repeat(70_000)}"}`) },
    {
      weight: 1,
      arbitrary: fc.constant('{"__proto__": {"role": "admin", "isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}'),
    },
  );
};

const queryFor = fc.dictionary(
  fc.oneof(fc.constantFrom('limit', 'cursor', 'expectedVersion', '__proto__', 'constructor'), fc.string({ maxLength: 10 })),
  fc.oneof(
    hostileString.map((value) => value.slice(0, 2000)),
    fc.constantFrom('-1', '0', 'NaN', '1e309', '0x10', '1.5', '[]', '{}'),
  ),
  { maxKeys: 3 },
);

/** Path parameters: the real workspace id, with any other parameter (and sometimes the workspace id) made hostile. */
const pathFor = (route: (typeof writeRoutes)[number][1]) =>
  fc.tuple(fc.boolean(), fc.boolean(), hostileString).map(([hitWorkspace, hitOther, value]) => {
    const params = samplePathParams(route, workspaceId);
    const others = Object.keys(params).filter((name) => name !== 'workspaceId');
    // A URL cannot carry a lone surrogate, and the HTTP layer refuses very long ones before the API sees them.
    const safe = value.replace(/\p{Surrogate}/gu, '\ufffd').slice(0, 2000);
    if (hitWorkspace && 'workspaceId' in params && !hitOther) params.workspaceId = safe;
    for (const name of others) if (hitOther) params[name] = safe;
    return pathOf(route, params);
  });

describe('fuzzed input', () => {
  it(`answers ${runsPerRoute} hostile requests per write route with 4xx and a JSON error, writing nothing`, async () => {
    const before = { workspace: await snapshot(workspaceId), bystander: await snapshot(bystanderId) };
    const workspacesBefore = (await admin.call('getMe')).body.workspaces.length;
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    for (const [index, [name, route]] of writeRoutes.entries()) {
      const requests = fc.sample(
        fc.record({
          path: pathFor(route),
          // A route without a body always gets one: without it, a request on a valid path could be a valid request.
          body: route.body ? fc.option(bodyFor(route), { freq: 8 }) : bodyFor(route),
          query: queryFor,
          contentType: fc.boolean(),
        }),
        { numRuns: runsPerRoute, seed: seed + index },
      );
      for (let start = 0; start < requests.length; start += 16) {
        await Promise.all(
          requests.slice(start, start + 16).map(async (request) => {
            const search = new URLSearchParams(request.query).toString();
            const url = `${request.path}${search ? `?${search}` : ''}`;
            const headers: Record<string, string> = { authorization: `Bearer ${admin.token}` };
            if (request.body !== null) headers['content-type'] = request.contentType ? 'application/json' : 'text/plain';
            const response = await api.raw(route.method, url, { body: request.body ?? undefined, headers });
            sent++;
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            const isJsonError = typeof response.body === 'object' && typeof response.body?.error === 'string';
            if (response.status < 400 || response.status >= 500 || !isJsonError) {
              failures.push(
                `${name} ${route.method} ${url.slice(0, 200)} body=${String(request.body).slice(0, 200)} → ${response.status}`,
              );
            }
          }),
        );
      }
    }
    console.log(
      `fuzz: ${sent} hostile requests over ${writeRoutes.length} write routes (seed ${seed}); statuses ${JSON.stringify(statuses)}; failures ${failures.length}`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(await snapshot(workspaceId)).toEqual(before.workspace);
    expect(await snapshot(bystanderId)).toEqual(before.bystander);
    expect((await admin.call('getMe')).body.workspaces.length).toBe(workspacesBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(sent).toBeGreaterThanOrEqual(writeRoutes.length * runsPerRoute);
  }, 240_000);
});
