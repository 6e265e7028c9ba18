import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Commitment } from '#contract/catalogue/commitments';
import { commitmentCsvHeader } from '#contract/catalogue/commitments-list';
import { parseCsv } from '#contract/csv';
import { todayIn } from '#contract/dates';
import { addDays, addWorkingDays, weekOf } from '#contract/working-days';
import { type Person, startApi, type TestApi } from '#test/support/api';
import type { CallInput } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { commitmentItem, dynamo, tableName } from '#test/support/table';

let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let itemA: string;
let itemB: string;
const today = todayIn('UTC', new Date().toISOString());
const day = {
  flex: addWorkingDays(today, 8),
  beyond: addWorkingDays(today, 3),
  soon: addWorkingDays(today, 30),
  later: addWorkingDays(today, 40),
  past: addDays(today, -3),
  longAgo: addDays(today, -5),
};
/** Every commitment of the workspace by reference, with what the filters look at. */
const made: Record<string, { id: string; item: 'A' | 'B'; by: 'rep' | 'sales'; date: string }> = {};

async function commit(person: Person, itemId: string, reference: string, deliveryDate: string) {
  const answer = await person.call('recordCommitment', {
    params: { workspaceId: team.workspaceId, itemId },
    body: { reference, quantity: 5, deliveryDate },
  });
  expect(answer.status, reference).toBe(201);
  return answer.body.commitment;
}

/** A commitment whose delivery date has passed: stored as it would be after recording it then, since the API refuses past dates. */
async function storePast(itemId: string, reference: string, deliveryDate: string, by: Person, status: Commitment['status']) {
  const at = new Date().toISOString();
  const commitment: Commitment = {
    id: crypto.randomUUID(),
    workspaceId: team.workspaceId,
    itemId,
    itemCode: itemId === itemA ? 'LST-A' : 'LST-B',
    reference,
    customer: null,
    quantity: 5,
    requestedDate: deliveryDate,
    promisedDate: deliveryDate,
    orderValue: null,
    answer: 'standard',
    flexCost: null,
    thresholdCycleId: crypto.randomUUID(),
    thresholdVersion: 1,
    allocation: [],
    leadTimeIssueId: null,
    occurrenceId: null,
    status,
    recordedBy: by.email,
    recordedByName: by.email,
    createdAt: at,
    deliveredQuantity: 0,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    decisionReason: null,
    timeToDecisionMs: null,
    cancelledBy: status === 'cancelled' ? by.email : null,
    cancelledAt: status === 'cancelled' ? at : null,
    updatedAt: at,
    version: 1,
  };
  await dynamo.send(new PutCommand({ TableName: tableName(), Item: commitmentItem(commitment) }));
  return commitment;
}

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'List Pumps');
  other = await planningTeam(api, 'Other Pumps');
  const cycle = await createCycle(team);
  itemA = (await createItem(team, 'LST-A')).id;
  itemB = (await createItem(team, 'LST-B')).id;
  await agree(team, cycle.id, itemA);
  await agree(team, cycle.id, itemB);
  const record = async (person: 'rep' | 'sales', item: 'A' | 'B', reference: string, date: string) => {
    const commitment = await commit(team[person], item === 'A' ? itemA : itemB, reference, date);
    made[reference] = { id: commitment.id, item, by: person, date };
    return commitment;
  };
  await record('rep', 'A', 'SO-100', day.soon);
  await record('rep', 'A', 'SO-101', day.flex);
  await record('rep', 'B', 'so-200', day.beyond);
  await record('sales', 'B', 'PO-300', day.soon);
  const cancelled = await record('sales', 'A', 'SO-102', day.later);
  const cancel = await team.sales.call('cancelCommitment', {
    params: { workspaceId: team.workspaceId, itemId: itemA, commitmentId: cancelled.id },
    body: { expectedVersion: cancelled.version },
  });
  expect(cancel.status).toBe(200);
  made['SO-900'] = {
    id: (await storePast(itemB, 'SO-900', day.past, team.rep, 'approved')).id,
    item: 'B',
    by: 'rep',
    date: day.past,
  };
  made['SO-901'] = {
    id: (await storePast(itemA, 'SO-901', day.longAgo, team.sales, 'cancelled')).id,
    item: 'A',
    by: 'sales',
    date: day.longAgo,
  };

  const otherCycle = await createCycle(other);
  const otherItem = (await createItem(other, 'LST-A')).id;
  await agree(other, otherCycle.id, otherItem);
  for (const reference of ['SO-100', 'SO-777']) {
    const answer = await other.rep.call('recordCommitment', {
      params: { workspaceId: other.workspaceId, itemId: otherItem },
      body: { reference, quantity: 5, deliveryDate: day.soon },
    });
    expect(answer.status).toBe(201);
  }
});
afterAll(async () => {
  await api.close();
});

type Query = NonNullable<CallInput<'listWorkspaceCommitments'>['query']>;

/** Every page of the list under `query`, walked to the end. */
async function walk(person: Person, query: Query = {}, workspaceId = team.workspaceId) {
  const rows: Commitment[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await person.call('listWorkspaceCommitments', { params: { workspaceId }, query: { ...query, cursor } });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(Number(query.limit ?? 50));
    rows.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 100);
  expect(cursor).toBeUndefined();
  return rows;
}

const references = (rows: Commitment[]) => rows.map((row) => row.reference).sort();
/** The delivery dates of these commitments in the order the list answers them. */
const byDate = (names: string[]) => names.map((name) => made[name]?.date ?? '').sort();

describe('the commitments list across items', () => {
  it('lists every commitment of the workspace by delivery date, and nothing of another workspace', async () => {
    const rows = await walk(team.rep);
    expect(references(rows)).toEqual(['PO-300', 'SO-100', 'SO-101', 'SO-102', 'SO-900', 'SO-901', 'so-200']);
    expect(rows.map((row) => row.promisedDate)).toEqual(byDate(Object.keys(made)));
    expect(rows.every((row) => row.workspaceId === team.workspaceId)).toBe(true);
    expect(rows.some((row) => row.reference === 'SO-777')).toBe(false);
    const theirs = await walk(other.rep, {}, other.workspaceId);
    expect(references(theirs)).toEqual(['SO-100', 'SO-777']);
  });

  it('narrows by each filter to the set worked out by hand', async () => {
    const cases: Array<[Query, string[]]> = [
      [{ state: 'cancelled' }, ['SO-102', 'SO-901']],
      // Standard commitments are approved at once; flex and beyond wait for an operations manager.
      [{ state: 'approved' }, ['PO-300', 'SO-100', 'SO-900']],
      [{ state: 'awaiting approval' }, ['SO-101', 'so-200']],
      [{ rep: 'mine' }, ['SO-100', 'SO-101', 'SO-900', 'so-200']],
      [{ rep: team.sales.email }, ['PO-300', 'SO-102', 'SO-901']],
      [{ rep: team.sales.email.toUpperCase() }, ['PO-300', 'SO-102', 'SO-901']],
      [{ q: 'so-1' }, ['SO-100', 'SO-101', 'SO-102']],
      [{ q: 'SO-2' }, ['so-200']],
      [{ q: 'PO' }, ['PO-300']],
      [{ itemId: itemB }, ['PO-300', 'SO-900', 'so-200']],
      [{ band: 'flex' }, ['SO-101']],
      [{ band: 'beyond' }, ['so-200']],
      [{ band: 'standard' }, ['PO-300', 'SO-100', 'SO-102', 'SO-900', 'SO-901']],
      [{ overdue: 'true' }, ['SO-900']],
      [{ overdue: 'false' }, ['PO-300', 'SO-100', 'SO-101', 'SO-102', 'SO-901', 'so-200']],
      [{ from: day.flex, to: day.soon }, ['PO-300', 'SO-100', 'SO-101']],
      [{ from: day.later }, ['SO-102']],
      [{ to: today }, ['SO-900', 'SO-901']],
      [{ from: day.soon, to: day.soon }, ['PO-300', 'SO-100']],
      [{ rep: 'mine', state: 'approved', itemId: itemA }, ['SO-100']],
      [{ rep: 'mine', state: 'awaiting approval', itemId: itemA }, ['SO-101']],
      [{ rep: 'mine', overdue: 'true', itemId: itemA }, []],
      [{ state: 'cancelled', overdue: 'true' }, []],
      [{ state: 'approved', overdue: 'true' }, ['SO-900']],
      [{ q: 'so', band: 'standard', from: today }, ['SO-100', 'SO-102']],
    ];
    for (const [query, expected] of cases) {
      expect(references(await walk(team.rep, query)), JSON.stringify(query)).toEqual(expected);
    }
    // A week is Monday to Sunday around the day given: the deliveries of that week, whichever day names it.
    for (const name of Object.keys(made)) {
      const date = made[name]?.date as string;
      const week = weekOf(date);
      const expected = Object.keys(made)
        .filter((other) => weekOf(made[other]?.date as string) === week)
        .sort();
      expect(references(await walk(team.rep, { week: addDays(week, 6) })), name).toEqual(expected);
    }
  });

  it('pages through every row exactly once, filtered or not, at any page size', async () => {
    const all = Object.values(made)
      .map((entry) => entry.id)
      .sort();
    for (const limit of [1, 2, 3, 200]) {
      const ids = (await walk(team.sales, { limit })).map((row) => row.id);
      expect(new Set(ids).size, `limit ${limit}`).toBe(ids.length);
      expect([...ids].sort(), `limit ${limit}`).toEqual(all);
    }
    const mine = (await walk(team.rep, { rep: 'mine', limit: 1 })).map((row) => row.reference);
    expect(mine).toEqual(['SO-900', 'so-200', 'SO-101', 'SO-100']);
    const first = await team.rep.call('listWorkspaceCommitments', {
      params: { workspaceId: team.workspaceId },
      query: { limit: 2 },
    });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    expect(first.body.scanned).toBeGreaterThanOrEqual(2);
  });

  it('reads each page in one round trip: one Query beside the membership check, whatever the filters', async () => {
    const meter = (response: { headers: Headers }) => ({
      requests: Number(response.headers.get('x-accord-db-requests')),
      roundTrips: Number(response.headers.get('x-accord-db-round-trips')),
    });
    for (const query of [
      {},
      { rep: 'mine' as const, band: 'standard' as const, q: 'so', limit: 1 },
      { overdue: 'true' as const },
    ]) {
      const page = await team.rep.call('listWorkspaceCommitments', { params: { workspaceId: team.workspaceId }, query });
      expect(page.status).toBe(200);
      const { requests, roundTrips } = meter(page);
      expect(roundTrips, JSON.stringify(query)).toBe(1);
      // The membership check and the Query; overdue may also read the workspace's time zone when not cached.
      expect(requests, JSON.stringify(query)).toBeLessThanOrEqual('overdue' in query ? 3 : 2);
    }
  });

  it('exports the same filtered rows as CSV', async () => {
    for (const query of [
      {},
      { rep: 'mine' as const },
      { state: 'cancelled' as const },
      { itemId: itemB, overdue: 'true' as const },
    ]) {
      const listed = await walk(team.rep, query);
      const exported = await team.rep.call('exportWorkspaceCommitments', { params: { workspaceId: team.workspaceId }, query });
      expect(exported.status).toBe(200);
      expect(exported.body.count).toBe(listed.length);
      expect(exported.body.truncated).toBe(false);
      expect(exported.body.filename).toBe(`commitments-${today}.csv`);
      const [header, ...rows] = parseCsv(exported.body.csv);
      expect(header).toEqual([...commitmentCsvHeader]);
      expect(rows.map((row) => row[0])).toEqual(listed.map((row) => row.id));
      const so100 = rows.find((row) => row[2] === 'SO-100');
      if (listed.some((row) => row.reference === 'SO-100')) {
        expect(so100).toEqual([
          made['SO-100']?.id,
          'LST-A',
          'SO-100',
          '5',
          '',
          day.soon,
          day.soon,
          '0',
          'standard',
          'approved',
          team.rep.email,
          so100?.[11],
          '1',
          '',
        ]);
      } else expect(so100).toBeUndefined();
    }
    const theirs = await other.rep.call('exportWorkspaceCommitments', { params: { workspaceId: other.workspaceId } });
    expect(theirs.body.count).toBe(2);
    expect(theirs.body.csv).not.toContain(made['SO-101']?.id);
  });

  it('refuses another workspace, a cursor from another list and out-of-bounds input with a 4xx naming the field', async () => {
    const workspaceId = team.workspaceId;
    expect((await other.rep.call('listWorkspaceCommitments', { params: { workspaceId } })).status).toBe(404);
    expect((await other.rep.call('exportWorkspaceCommitments', { params: { workspaceId } })).status).toBe(404);
    const theirs = await other.rep.call('listWorkspaceCommitments', {
      params: { workspaceId: other.workspaceId },
      query: { limit: 1 },
    });
    const cursor = theirs.body.nextCursor as string;
    expect(cursor).toBeTruthy();
    const replayed = await team.rep.call('listWorkspaceCommitments', { params: { workspaceId }, query: { cursor } });
    expect(replayed.status).toBe(400);
    expect((await team.rep.call('listWorkspaceCommitments', { params: { workspaceId }, query: { cursor: 'x!' } })).status).toBe(
      400,
    );
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ limit: 201 }, 'query.limit'],
      [{ limit: 0 }, 'query.limit'],
      [{ q: 'x'.repeat(121) }, 'query.q'],
      [{ from: '2027-02-01', to: '2027-01-01' }, 'query.from'],
      [{ week: '2027-02-01', from: '2027-01-01' }, 'query.week'],
      [{ band: 'huge' }, 'query.band'],
      [{ state: 'gone' }, 'query.state'],
      [{ overdue: 'yes' }, 'query.overdue'],
      [{ rep: 'not an email' }, 'query.rep'],
      [{ from: '2027-13-01' }, 'query.from'],
      [{ itemId: 'nope' }, 'query.itemId'],
      [{ extra: '1' }, 'query'],
    ];
    for (const [query, field] of cases) {
      const response = await team.rep.callRaw('listWorkspaceCommitments', { params: { workspaceId }, query });
      expect(response.status, JSON.stringify(query)).toBe(400);
      const fields = (response.body.details as Array<{ field: string }>).map((detail) => detail.field);
      expect(
        fields.some((name) => name.startsWith(field)),
        `${JSON.stringify(query)}: ${fields}`,
      ).toBe(true);
    }
    const exported = await team.rep.callRaw('exportWorkspaceCommitments', { params: { workspaceId }, query: { limit: 10 } });
    expect(exported.status).toBe(400);
  });
});
