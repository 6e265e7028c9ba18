import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFormat, exportVersion } from '#contract/backup/backup';
import { exportAll, type Person, startApi, type TestApi } from '#test/support/api';
import { sealPage } from '#test/support/functions';
import { type MeetingTeam, meetingBody, meetingTeam } from '#test/support/meetings';
import { useOwnTable } from '#test/support/own-table';
import { partitionItems } from '#test/support/snapshot';
import { restoredWorkspaceId } from '#test/support/table';

/*
 * Restore from the outside: a stranger with a workspace of their own sends
 * backups built to write into another company's workspace (victim A). The
 * seals refuse every file this deployment did not export; so that the
 * checks behind them are tried too, most files here are sealed with the
 * deployment's key, as if it had leaked: even then a restore writes only
 * inside the workspace it creates, and never answers 5xx.
 */

type Rec = Record<string, any>;
let api: TestApi;
let victim: MeetingTeam;
let itemId: string;
let attacker: Person;
let attackerWs: string;
let base: { workspaceId: string; records: Rec[] };
let tableName: string;

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);

beforeAll(async () => {
  tableName = await useOwnTable('restore-fuzz');
  api = await startApi();
  victim = await meetingTeam(api, 'Victim Pumps');
  const a = victim.workspaceId;
  itemId = (
    await victim.admin.call('createPortfolioItem', {
      params: { workspaceId: a },
      body: {
        code: 'V-1',
        name: 'Victim pump',
        kind: 'product',
        unit: 'unit',
      },
    })
  ).body.id;
  expect(
    (await victim.admin.call('createMeeting', { params: { workspaceId: a }, body: meetingBody(victim.cycleId) })).status,
  ).toBe(201);
  attacker = await api.person('stranger');
  attackerWs = (await attacker.call('createWorkspace', { body: { name: 'Stranger Pumps' } })).body.id;
  for (const code of ['S-1', 'S-2']) {
    await attacker.call('createPortfolioItem', {
      params: { workspaceId: attackerWs },
      body: { code, name: code, kind: 'product', unit: 'unit' },
    });
  }
  base = (await exportAll(attacker, attackerWs)).body;
});
afterAll(async () => {
  db.destroy();
  await api.close();
});

/** Seals records as one page of a fresh export of `workspaceId`, with the deployment's key. */
async function sealed(workspaceId: string, records: Rec[]) {
  const exportId = randomUUID();
  const exportedAt = `${new Date().toISOString()}#${exportId.slice(0, 8)}`;
  const signature = await sealPage({ workspaceId, exportId, exportedAt, page: 1, last: true }, records);
  return {
    format: exportFormat,
    version: exportVersion,
    workspaceId,
    exportId,
    exportedAt,
    records,
    pages: [{ records: records.length, signature }],
  };
}

/**
 * Everything in the table that belongs to or lists anything of workspace
 * A (its partitions, its index entries, its people's workspace lists), as
 * sorted text: equal before and after means A was not touched.
 */
async function footprintOfA(): Promise<string[]> {
  const a = victim.workspaceId;
  const people = [victim.admin, victim.sales, victim.ops, victim.rep].map((person) => `USER#${person.email}`);
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      const keys = [item.pk, item.sk, item.gsi1pk, item.gsi1sk].map(String);
      if (keys.some((key) => key.includes(a) || people.includes(key))) found.push(JSON.stringify(item));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found.sort();
}

/** What A's people see of A: every list a stray index entry would show up in, and A's whole export. */
async function viewsOfA() {
  const workspace = { workspaceId: victim.workspaceId };
  const cycle = { ...workspace, cycleId: victim.cycleId };
  const answers = await Promise.all([
    victim.admin.call('listPortfolioItems', { params: workspace, query: { limit: 200 } }),
    victim.admin.call('listCatalogue', { params: workspace, query: { limit: 200 } }),
    victim.admin.call('listMeetings', { params: workspace }),
    victim.admin.call('listCycleThresholds', { params: cycle }),
    victim.admin.call('listMisalignmentIssues', { params: workspace }),
    victim.admin.call('getRanking', { params: cycle }),
    victim.admin.call('getMe'),
  ]);
  const exported = await exportAll(victim.admin, victim.workspaceId);
  // A ranking says when it was computed: the one part of these answers that changes by itself.
  const lists = answers.map((answer) => [answer.status, { ...answer.body, computedAt: undefined }]);
  return { lists, records: exported.body.records };
}

/** Every record of a restored workspace is keyed inside it, or lists it for one of the backup's members. */
async function expectConfinedTo(targetId: string, records: Rec[]) {
  const members = new Set(records.filter((r) => r.type === 'Member').map((r) => `USER#${r.email}`));
  members.add(`USER#${attacker.email}`);
  const collections = ['', ...records.map((r) => String(r.pk).replace(`WS#${base.workspaceId}`, '')).filter(Boolean)];
  for (const suffix of new Set(collections)) {
    for (const item of await partitionItems(targetId, undefined, undefined, suffix)) {
      expect(item.pk.startsWith(`WS#${targetId}`), item.pk).toBe(true);
      if (item.gsi1pk !== undefined) {
        expect(item.gsi1pk.startsWith(`WS#${targetId}#`) || members.has(item.gsi1pk), item.gsi1pk).toBe(true);
      }
    }
  }
}

const a = () => victim.workspaceId;
/** Partitions and index entries of A a hostile record may name. */
const foreignKeys = () => [
  `WS#${a()}`,
  `WS#${a()}#ITEMS`,
  `WS#${a()}#MEETINGS`,
  `WS#${a()}#ISSUE_DAYS`,
  `WS#${a()}#COMMITMENTS`,
  `WS#${a()}#CYCLE#${victim.cycleId}`,
  `WS#${a()}#ITEM#${itemId}`,
  `USER#${victim.admin.email}`,
  `THRESHOLD#${itemId}`,
];

describe('restore writes only inside the workspace it creates', () => {
  it('rebuilds index keys that name another workspace: the records land in the new workspace, A is unchanged', async () => {
    const before = { views: await viewsOfA(), footprint: await footprintOfA() };
    const keys = foreignKeys();
    const records = base.records.map((record, index) =>
      record.type === 'Workspace' || record.type === 'AuditEvent'
        ? record
        : { ...record, gsi1pk: keys[index % keys.length], gsi1sk: `CYCLE#${victim.cycleId}#2027-01-01#x` },
    );
    const body = await sealed(base.workspaceId, records);
    const response = await attacker.callRaw('restoreWorkspace', { body });
    expect(response.status).toBe(201);
    await expectConfinedTo(response.body.workspaceId, records);
    // The restored workspace's audit trail begins with the restore: who, when, from which export.
    const trail = await attacker.call('listAuditEvents', {
      params: { workspaceId: response.body.workspaceId },
      query: { limit: 1 },
    });
    expect(trail.status, JSON.stringify(trail.body)).toBe(200);
    expect(trail.body.events[0]).toMatchObject({
      action: 'workspace.restored',
      actorEmail: attacker.email,
      after: { from: base.workspaceId, exportId: body.exportId, exportedAt: body.exportedAt },
    });
    expect(await viewsOfA()).toEqual(before.views);
    expect(await footprintOfA()).toEqual(before.footprint);
    // A's own backup still restores.
    const own = await exportAll(victim.admin, a());
    expect((await victim.admin.call('restoreWorkspace', { body: own.body })).status).toBe(201);
  });

  it('refuses records whose attributes or ids name another workspace, naming the record and the field, writing nothing', async () => {
    const item = base.records.findIndex((r) => r.type === 'PortfolioItem');
    const code = base.records.findIndex((r) => r.type === 'PortfolioCode');
    const cases: Array<[Rec[], string]> = [
      [base.records.map((r, i) => (i === item ? { ...r, workspaceId: a() } : r)), `body.records.${item}.workspaceId`],
      [base.records.map((r, i) => (i === code ? { ...r, itemId } : r)), `body.records.${code}.itemId`],
      [base.records.map((r, i) => (i === item ? { ...r, pk: `WS#${a()}` } : r)), `body.records.${item}.pk`],
      [
        [...base.records, { pk: `WS#${a()}#ITEM#${itemId}`, sk: 'CHECK#~AGREED', type: 'AgreedThreshold' }],
        `body.records.${base.records.length}.pk`,
      ],
      [[...base.records, { pk: `WS#${base.workspaceId}`, sk: 'X', type: 'Evil' }], `body.records.${base.records.length}.type`],
      [base.records.map((r, i) => (i === item ? { ...r, secretField: 1 } : r)), `body.records.${item}.secretField`],
      // Kept-rate counters build their keys from their scope: an item of another workspace, another workspace
      // itself, or a rep that is no email never names where a counter is written.
      ...(
        [
          ['item', itemId],
          ['workspace', a()],
          ['rep', 'WS#x'],
          ['band', 'ours'],
        ] as const
      ).map(([scope, scopeId]): [Rec[], string] => [
        [
          ...base.records,
          {
            pk: `WS#${base.workspaceId}#KEPT#${scope}#${scopeId}`,
            sk: 'WEEK#2026-11-30',
            type: 'KeptCounter',
            workspaceId: base.workspaceId,
            scope,
            scopeId,
            week: '2026-11-30',
            settled: 1,
          },
        ],
        `body.records.${base.records.length}.scopeId`,
      ]),
    ];
    const before = await footprintOfA();
    for (const [records, field] of cases) {
      const body = await sealed(base.workspaceId, records);
      const response = await attacker.callRaw('restoreWorkspace', { body });
      expect(response.status, field).toBe(400);
      expect(response.body.details?.[0]?.field, JSON.stringify(response.body)).toBe(field);
      expect(await partitionItems(restoredWorkspaceId({ sub: subOf(attacker) }, body))).toEqual([]);
    }
    expect(await footprintOfA()).toEqual(before);
  });

  it('answers 400 naming the record and field for nesting, size and key values DynamoDB cannot take, never 5xx', async () => {
    const item = base.records.findIndex((r) => r.type === 'PortfolioItem');
    const nested = (depth: number) => {
      let value: unknown = 'deep';
      for (let i = 0; i < depth; i++) value = { v: value };
      return value;
    };
    const cases: Array<[Rec, RegExp]> = [
      [{ description: nested(40) }, /^description(\.v)+$/],
      [{ description: nested(3000) }, /^description(\.v)+$/],
      [{ description: 'x'.repeat(410 * 1024) }, /^description$/],
      [{ gsi1pk: '' }, /^gsi1pk$/],
      [{ gsi1sk: 7 }, /^gsi1sk$/],
      [{ code: '' }, /^code$/],
      [{ sk: '' }, /^sk$/],
      [{ owner: 1e300 }, /^owner$/],
    ];
    for (const [change, field] of cases) {
      const records = base.records.map((r, i) => (i === item ? { ...r, ...change } : r));
      for (const body of [
        await sealed(base.workspaceId, records),
        { ...(await sealed(base.workspaceId, base.records)), records },
      ]) {
        const response = await attacker.callRaw('restoreWorkspace', { body });
        expect(response.status, JSON.stringify(change).slice(0, 80)).toBe(400);
        const named = String(response.body.details?.[0]?.field ?? '');
        if (named.startsWith('body.records.')) {
          expect(named.slice(`body.records.${item}.`.length), named).toMatch(field);
          expect(response.body.details[0].message).toContain(`record ${item}`);
        }
      }
    }
  });
});

const subOf = (person: Person) => JSON.parse(Buffer.from(person.token.split('.')[1] ?? '', 'base64url').toString()).sub as string;

describe('restore takes only a whole, unchanged export of this deployment', () => {
  it('refuses an unsigned, altered, reordered, cut or spliced backup with 400 naming the problem, writing nothing', async () => {
    for (let i = 0; i < 3; i++) {
      await attacker.call('createCycle', {
        params: { workspaceId: attackerWs },
        body: {
          name: `Cycle ${i}`,
          startDate: '2027-01-01',
          endDate: '2027-12-31',
        },
      });
    }
    const exported = (await exportAll(attacker, attackerWs)).body;
    const other = (await exportAll(attacker, attackerWs)).body;
    expect(exported.pages.length).toBeGreaterThan(1);
    const pageRecords = (doc: typeof exported) => {
      let start = 0;
      return doc.pages.map((page: { records: number }) => {
        const records = doc.records.slice(start, start + page.records);
        start += page.records;
        return records;
      });
    };
    const rebuild = (doc: typeof exported, pages: Array<{ seal: any; records: Rec[] }>) => ({
      ...doc,
      records: pages.flatMap((page) => page.records),
      pages: pages.map((page) => page.seal),
    });
    const own = pageRecords(exported).map((records: Rec[], index: number) => ({ seal: exported.pages[index], records }));
    const theirs = pageRecords(other).map((records: Rec[], index: number) => ({ seal: other.pages[index], records }));
    const altered = structuredClone(exported);
    const target = altered.records.findIndex((r: Rec) => r.type === 'PortfolioItem');
    altered.records[target].name = `${altered.records[target].name.slice(0, -1)}X`;
    const cases: Array<[string, unknown, RegExp]> = [
      ['unsigned', { ...exported, pages: undefined }, /pages/],
      ['altered', altered, /does not match its signature/],
      ['reordered', rebuild(exported, [own[1], own[0], ...own.slice(2)]), /does not match its signature/],
      ['first page removed', rebuild(exported, own.slice(1)), /does not match its signature/],
      ['last page removed', rebuild(exported, own.slice(0, -1)), /ends before its export did/],
      ['page of another export', rebuild(exported, [own[0], theirs[1], ...own.slice(2)]), /does not match its signature/],
      ['seal of another page', { ...exported, pages: [exported.pages[1], exported.pages[0], ...exported.pages.slice(2)] }, /./],
    ];
    for (const [name, body, message] of cases) {
      const response = await attacker.callRaw('restoreWorkspace', { body });
      expect(response.status, name).toBe(400);
      expect(JSON.stringify(response.body), name).toMatch(message);
      expect(await partitionItems(restoredWorkspaceId({ sub: subOf(attacker) }, exported))).toEqual([]);
    }
    // The export itself restores.
    expect((await attacker.call('restoreWorkspace', { body: exported })).status).toBe(201);
  });
});

describe('restore fuzz', () => {
  it('hostile keys, attributes, depths and sizes never answer 5xx and never change another workspace', async () => {
    const before = { views: await viewsOfA(), footprint: await footprintOfA() };
    const attributes = [
      'pk',
      'sk',
      'gsi1pk',
      'gsi1sk',
      'type',
      'id',
      'itemId',
      'workspaceId',
      'email',
      'code',
      'name',
      'owner',
      'x',
    ];
    const hostileValue = fc.oneof(
      fc.constantFrom(
        ...foreignKeys(),
        '',
        'WORKSPACE',
        `MEMBER#${victim.admin.email}`,
        itemId,
        victim.workspaceId,
        victim.cycleId,
      ),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
      fc.string({ maxLength: 30 }),
      fc.integer({ min: 1, max: 60 }).map((depth) => {
        let value: unknown = 1;
        for (let i = 0; i < depth; i++) value = [value];
        return value;
      }),
      fc.integer({ min: 300, max: 500 }).map((kb) => 'y'.repeat(kb * 1024)),
    );
    const mutation = fc.record({
      index: fc.nat({ max: base.records.length }),
      attribute: fc.oneof(fc.constantFrom(...attributes), fc.string({ minLength: 1, maxLength: 12 })),
      value: hostileValue,
      copyFromA: fc.boolean(),
    });
    const victimRecords = (await exportAll(victim.admin, victim.workspaceId)).body.records as Rec[];
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (mutations, seal) => {
        const records: Rec[] = structuredClone(base.records);
        for (const { index, attribute, value, copyFromA } of mutations) {
          if (copyFromA) records.push(structuredClone(victimRecords[index % victimRecords.length] as Rec));
          const record = records[index % records.length] as Rec;
          record[attribute] = value;
        }
        const body = seal
          ? await sealed(base.workspaceId, records)
          : { ...(await sealed(base.workspaceId, base.records)), records };
        const response = await attacker.callRaw('restoreWorkspace', { body });
        expect([201, 400], JSON.stringify(response.body).slice(0, 300)).toContain(response.status);
        if (response.status === 201) await expectConfinedTo(response.body.workspaceId, records);
        expect(await footprintOfA()).toEqual(before.footprint);
      }),
      { numRuns: 30 },
    );
    expect(await viewsOfA()).toEqual(before.views);
  });
});
