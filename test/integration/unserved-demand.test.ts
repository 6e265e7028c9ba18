import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '#contract/dates';
import { addWorkingDays } from '#contract/working-days';
import { exportAll, type Person, startApi, type TestApi } from '#test/support/api';
import type { BodyOf } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { partitionItems, snapshot } from '#test/support/snapshot';

let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let thisCycle: string;
let nextCycle: string;
let itemA: string;
let itemB: string;
let version: number;
const today = todayIn('UTC', new Date().toISOString());
const soon = addWorkingDays(today, 3);

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Lost Pumps');
  other = await planningTeam(api, 'Other Lost Pumps');
  thisCycle = (await createCycle(team, 'FY2027 budget', { startDate: '2026-01-01', endDate: '2027-12-31' })).id;
  nextCycle = (await createCycle(team, 'FY2028 budget', { startDate: '2028-01-01', endDate: '2028-12-31' })).id;
  itemA = (await createItem(team, 'UNS-A')).id;
  itemB = (await createItem(team, 'UNS-B', 'service')).id;
  version = await agree(team, thisCycle, itemA);
  await agree(team, thisCycle, itemB);
});
afterAll(async () => {
  await api.close();
});

const record = (person: Person, itemId: string, body: BodyOf<'recordUnservedDemand'>) =>
  person.call('recordUnservedDemand', { params: { workspaceId: team.workspaceId, itemId }, body });
const list = (person: Person, itemId: string, cycleId: string, limit = 50) =>
  person.call('listUnservedDemand', { params: { workspaceId: team.workspaceId, itemId }, query: { cycleId, limit } });
const review = (person: Person, cycleId: string) =>
  person.call('listCycleUnservedDemand', { params: { workspaceId: team.workspaceId, cycleId } });
/** Everything stored for the workspace and for the item: equal before and after means nothing was written. */
const stored = async (itemId: string) =>
  JSON.stringify([
    await snapshot(team.workspaceId),
    await partitionItems(team.workspaceId, undefined, undefined, `#ITEM#${itemId}`),
  ]);

describe('unserved demand', () => {
  it('records a beyond answer the customer did not take in the cycle containing the requested date', async () => {
    const check = await team.rep.call('promiseCheck', {
      params: { workspaceId: team.workspaceId, itemId: itemA },
      query: { quantity: 900, date: soon },
    });
    expect(check.body.band).toBe('beyond');
    expect(check.body.threshold.version).toBe(version);
    const lost = await record(team.rep, itemA, {
      quantity: 900,
      requestedDate: soon,
      customer: 'Fjord Water',
      note: 'Needed before the spring thaw',
      thresholdVersion: check.body.threshold.version,
    });
    expect(lost.status).toBe(201);
    // The threshold and the cycles are read beside the membership check, then one transaction writes.
    expect(lost.headers.get('x-accord-db-round-trips')).toBe('2');
    expect(lost.body).toMatchObject({
      itemId: itemA,
      itemCode: 'UNS-A',
      unit: 'unit',
      quantity: 900,
      requestedDate: soon,
      customer: 'Fjord Water',
      note: 'Needed before the spring thaw',
      thresholdVersion: version,
      cycleId: thisCycle,
      cycleName: 'FY2027 budget',
      recordedBy: team.rep.email,
      version: 1,
    });
    const audit = await team.admin.call('listAuditEvents', {
      params: { workspaceId: team.workspaceId },
      query: { entityId: lost.body.id },
    });
    expect(audit.body.events.map((event) => event.action)).toEqual(['unserved-demand.recorded']);
  });

  it('lists an item’s demand per cycle by requested date with the cycle’s totals, and per item for the review', async () => {
    const base = { thresholdVersion: version, customer: 'Nordic Dairy' };
    expect((await record(team.sales, itemA, { ...base, quantity: 300, requestedDate: '2027-01-04' })).status).toBe(201);
    expect((await record(team.rep, itemA, { ...base, quantity: 120.5, requestedDate: '2028-03-01' })).status).toBe(201);
    expect((await record(team.opsRep, itemB, { ...base, quantity: 40, requestedDate: '2027-06-01' })).status).toBe(201);

    const current = await list(team.marketing, itemA, thisCycle);
    expect(current.status).toBe(200);
    // The page and the totals go out beside the membership check (bound to the caller by their first call): one round trip.
    const metered = await list(team.marketing, itemA, thisCycle);
    expect(metered.headers.get('x-accord-db-round-trips')).toBe('1');
    expect(metered.headers.get('x-accord-db-requests')).toBe('3');
    expect(current.body.cycleId).toBe(thisCycle);
    expect(current.body.total).toEqual({ quantity: 1200, count: 2 });
    expect(current.body.items.map((demand) => [demand.requestedDate, demand.quantity])).toEqual([
      [soon, 900],
      ['2027-01-04', 300],
    ]);
    const next = await list(team.rep, itemA, nextCycle);
    expect(next.body.total).toEqual({ quantity: 120.5, count: 1 });
    expect(next.body.items.map((demand) => demand.cycleName)).toEqual(['FY2028 budget']);

    const paged = await list(team.rep, itemA, thisCycle, 1);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toEqual({ quantity: 1200, count: 2 });
    const rest = await team.rep.call('listUnservedDemand', {
      params: { workspaceId: team.workspaceId, itemId: itemA },
      query: { cycleId: thisCycle, limit: 1, cursor: paged.body.nextCursor as string },
    });
    expect(rest.body.items.map((demand) => demand.quantity)).toEqual([300]);

    const perItem = await review(team.sales, thisCycle);
    expect(perItem.status).toBe(200);
    expect(perItem.body.items.map((total) => [total.itemCode, total.unit, total.quantity, total.count]).sort()).toEqual([
      ['UNS-A', 'unit', 1200, 2],
      ['UNS-B', 'hour', 40, 1],
    ]);
    expect((await review(team.sales, nextCycle)).body.items.map((total) => [total.itemCode, total.quantity])).toEqual([
      ['UNS-A', 120.5],
    ]);
  });

  it('lets the recorder or a manager correct and remove it, keeping the totals; another rep is refused and nothing is written', async () => {
    const lost = await record(team.rep, itemB, {
      quantity: 10,
      requestedDate: '2027-02-01',
      customer: 'Fjord',
      thresholdVersion: 1,
    });
    expect(lost.status).toBe(201);
    const params = { workspaceId: team.workspaceId, itemId: itemB, unservedId: lost.body.id };
    const before = await stored(itemB);
    const byColleague = await team.opsRep.call('correctUnservedDemand', { params, body: { expectedVersion: 1, quantity: 1 } });
    expect(byColleague.status).toBe(403);
    const removedByColleague = await team.opsRep.call('removeUnservedDemand', { params, query: { expectedVersion: 1 } });
    expect(removedByColleague.status).toBe(403);
    expect(await stored(itemB)).toBe(before);

    const corrected = await team.rep.call('correctUnservedDemand', { params, body: { expectedVersion: 1, quantity: 25 } });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ quantity: 25, customer: 'Fjord', version: 2 });
    const byManager = await team.sales.call('correctUnservedDemand', {
      params,
      body: { expectedVersion: 2, customer: 'Fjord Water AS', note: null },
    });
    expect(byManager.body).toMatchObject({ quantity: 25, customer: 'Fjord Water AS', note: null, version: 3 });
    expect((await list(team.rep, itemB, thisCycle)).body.total).toEqual({ quantity: 65, count: 2 });

    const stale = await team.rep.call('correctUnservedDemand', { params, body: { expectedVersion: 2, quantity: 5 } });
    expect(stale.status).toBe(409);
    // Racing twins on one version: one correction wins, the other is refused, and the totals count the winner once.
    const twins = await Promise.all(
      [30, 35].map((quantity) => team.rep.call('correctUnservedDemand', { params, body: { expectedVersion: 3, quantity } })),
    );
    expect(twins.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = twins.find((answer) => answer.status === 200)?.body.quantity as number;
    expect((await list(team.rep, itemB, thisCycle)).body.total).toEqual({ quantity: 40 + winner, count: 2 });

    const removed = await team.sales.call('removeUnservedDemand', { params, query: { expectedVersion: 4 } });
    expect(removed.status).toBe(200);
    expect((await list(team.rep, itemB, thisCycle)).body).toMatchObject({ total: { quantity: 40, count: 1 } });
    expect((await team.rep.call('removeUnservedDemand', { params, query: { expectedVersion: 4 } })).status).toBe(404);
  });

  it('refuses a moved threshold, a date outside every cycle, bad input, an unknown item and outsiders, writing nothing', async () => {
    const workspaceId = team.workspaceId;
    const body = { quantity: 5, requestedDate: soon, customer: 'Fjord', thresholdVersion: version };
    const unagreed = (await createItem(team, 'UNS-NEW')).id;
    const before = await stored(itemA);
    const moved = await record(team.rep, itemA, { ...body, thresholdVersion: version + 1 });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toContain(`version ${version}`);
    const outside = await record(team.rep, itemA, { ...body, requestedDate: '2031-05-05' });
    expect(outside.status).toBe(400);
    expect(outside.body.details).toEqual([expect.objectContaining({ field: 'body.requestedDate' })]);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...body, quantity: 0 }, 'body.quantity'],
      [{ ...body, quantity: 10_000_001 }, 'body.quantity'],
      [{ ...body, customer: ' ' }, 'body.customer'],
      [{ ...body, customer: 'x'.repeat(121) }, 'body.customer'],
      [{ ...body, note: 'x'.repeat(1001) }, 'body.note'],
      [{ ...body, requestedDate: '2027-02-30' }, 'body.requestedDate'],
      [{ ...body, thresholdVersion: 0 }, 'body.thresholdVersion'],
      [{ ...body, owner: team.rep.email }, 'body'],
    ];
    for (const [sent, field] of cases) {
      const response = await team.rep.callRaw('recordUnservedDemand', { params: { workspaceId, itemId: itemA }, body: sent });
      expect(response.status, JSON.stringify(sent).slice(0, 80)).toBe(400);
      const fields = (response.body.details as Array<{ field: string }>).map((detail) => detail.field);
      expect(
        fields.some((name) => name.startsWith(field)),
        fields.join(),
      ).toBe(true);
    }
    expect((await record(team.rep, unagreed, body)).status).toBe(404);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await record(team.rep, unknown, body)).status).toBe(404);
    expect((await other.rep.call('recordUnservedDemand', { params: { workspaceId, itemId: itemA }, body })).status).toBe(404);
    expect(
      (await other.rep.call('listUnservedDemand', { params: { workspaceId, itemId: itemA }, query: { cycleId: thisCycle } }))
        .status,
    ).toBe(404);
    expect((await other.rep.call('listCycleUnservedDemand', { params: { workspaceId, cycleId: thisCycle } })).status).toBe(404);
    expect(
      (
        await team.rep.callRaw('correctUnservedDemand', {
          params: { workspaceId, itemId: itemA, unservedId: unknown },
          body: { expectedVersion: 1 },
        })
      ).status,
    ).toBe(400);
    expect((await team.rep.callRaw('listUnservedDemand', { params: { workspaceId, itemId: itemA } })).status).toBe(400);
    expect(await stored(itemA)).toBe(before);
    // Another workspace's cycle names nothing here.
    const theirCycle = (await createCycle(other)).id;
    expect((await review(team.sales, theirCycle)).body.items).toEqual([]);
  });

  it('goes into a backup and comes back from a restore with its totals', async () => {
    const exported = await exportAll(team.admin, team.workspaceId);
    expect(exported.status).toBe(200);
    const types = (exported.body.records as Array<{ type: string }>).map((record) => record.type);
    expect(types).toContain('UnservedDemand');
    expect(types).toContain('UnservedTotal');
    const restored = await team.admin.call('restoreWorkspace', { body: exported.body });
    expect(restored.status, JSON.stringify(restored.body).slice(0, 300)).toBe(201);
    const workspaceId = restored.body.workspaceId;
    const before = await list(team.admin, itemA, thisCycle);
    const after = await team.admin.call('listUnservedDemand', {
      params: { workspaceId, itemId: itemA },
      query: { cycleId: thisCycle },
    });
    expect(after.body.total).toEqual(before.body.total);
    expect(after.body.items.map((demand) => demand.id)).toEqual(before.body.items.map((demand) => demand.id));
    const perItem = await team.admin.call('listCycleUnservedDemand', { params: { workspaceId, cycleId: thisCycle } });
    expect(perItem.body.items.map((total) => total.itemCode).sort()).toEqual(['UNS-A', 'UNS-B']);
  });
});
