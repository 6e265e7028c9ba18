import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxOrderLines } from '#contract/catalogue/orders';
import { addWorkingDays } from '#contract/working-days';
import { startApi, type TestApi } from '#test/support/api';
import { type BodyOf, present } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { indexedReferences } from '#test/support/table';

let api: TestApi;
let team: PlanningTeam;
let itemIds: string[];
let today: string;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Order Pumps');
  const cycle = await createCycle(team);
  itemIds = [];
  for (const code of ['ORD-1', 'ORD-2', 'ORD-3', 'ORD-4', 'ORD-5']) {
    const item = await createItem(team, code);
    await agree(team, cycle.id, item.id);
    itemIds.push(item.id);
  }
  const probe = await team.rep.call('promiseCheck', {
    params: { workspaceId: team.workspaceId, itemId: itemIds[0] as string },
    query: { quantity: 1, leadTimeDays: 1 },
  });
  today = probe.body.today;
}, 120_000);
afterAll(async () => {
  await api.close();
});

const params = () => ({ workspaceId: team.workspaceId });

/** Records an order as the rep, through its route. */
const recordAsRep = (body: BodyOf<'recordOrder'>) => team.rep.callRaw('recordOrder', { params: params(), body });
const committedOn = async (itemId: string, date: string) =>
  (await team.rep.call('promiseCheck', { params: { workspaceId: team.workspaceId, itemId }, query: { quantity: 1, date } })).body
    .window.committed as number;

describe('orders', () => {
  it('checks and records an order of 20 lines, each line seeing the capacity of the lines before it', async () => {
    const date = addWorkingDays(today, 12);
    const lines = Array.from({ length: 20 }, (_, index) => ({ itemId: itemIds[index % 5] as string, quantity: 10 }));
    // The last line of item 1 is rushed: flex, with an order value for its expedite fee.
    const rushed = addWorkingDays(today, 7);
    lines[15] = { ...lines[15], date: rushed, orderValue: 1000 } as (typeof lines)[number];
    const check = await team.rep.call('checkOrder', { params: params(), body: { date, lines } });
    expect(check.status).toBe(200);
    expect(check.body.lines).toHaveLength(20);
    expect(check.body.lines[0]).toMatchObject({ line: 1, feasibleDate: date, answer: { band: 'standard', quantity: 10 } });
    expect(check.body.lines[15]).toMatchObject({ line: 16, feasibleDate: rushed, answer: { band: 'flex' } });
    expect(check.body.band).toBe('flex');
    expect(check.body.latestFeasibleDate).toBe(date);
    expect(check.body.flexCost).toEqual([{ currency: 'EUR', total: 80 + 400 }]);
    // Each line of an item sees the lines before it: the third line of item 1 has 20 fewer units free.
    const [first, , , , , , , , , , third] = check.body.lines;
    expect(present(third).answer.window.freeStandard).toBe(present(first).answer.window.freeStandard - 20);
    expect(await committedOn(itemIds[0] as string, date)).toBe(0);

    const recorded = await recordAsRep({ reference: 'PO-2026-77', customer: 'Nordwasser AS', date, lines });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitments).toHaveLength(20);
    expect(recorded.body.commitments.map((commitment: { status: string }) => commitment.status).sort()).toEqual([
      ...Array(19).fill('approved'),
      'awaiting approval',
    ]);
    expect(recorded.body.commitments[15]).toMatchObject({
      reference: 'PO-2026-77',
      customer: 'Nordwasser AS',
      promisedDate: rushed,
      orderValue: 1000,
      flexCost: { expedite: 80, total: 480 },
    });
    for (const itemId of itemIds) expect(await committedOn(itemId, date)).toBe(40);
    const listed = await team.rep.call('listCommitments', {
      params: { workspaceId: team.workspaceId, itemId: itemIds[0] as string },
    });
    expect(listed.body.items.filter((commitment: { reference: string }) => commitment.reference === 'PO-2026-77')).toHaveLength(
      4,
    );
  });

  it(`refuses more than ${maxOrderLines} lines, naming the limit, and writes nothing`, async () => {
    const date = addWorkingDays(today, 15);
    const lines = Array.from({ length: maxOrderLines + 1 }, () => ({ itemId: itemIds[4] as string, quantity: 1 }));
    const before = await committedOn(itemIds[4] as string, date);
    const refused = await team.rep.callRaw('checkOrder', { params: params(), body: { date, lines } });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0]).toMatchObject({ field: 'body.lines', message: `must hold at most ${maxOrderLines} items` });
    expect(await committedOn(itemIds[4] as string, date)).toBe(before);
  });

  it('refuses an order whose writes would not fit one transaction, naming the limit, and writes nothing', async () => {
    // Each line takes a whole window of weeks: five items over ~20 weeks each need more than 100 writes.
    const date = addWorkingDays(today, 100);
    const free = (
      await team.rep.call('promiseCheck', {
        params: { workspaceId: team.workspaceId, itemId: itemIds[2] as string },
        query: { quantity: 1, date },
      })
    ).body.window.freeStandard as number;
    const lines = itemIds.map((itemId) => ({ itemId, quantity: free - 50 }));
    const refused = await recordAsRep({ reference: 'PO-wide', date, lines });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0].field).toBe('body.lines');
    expect(refused.body.message).toMatch(/more than the 100 one transaction holds/);
    expect(await committedOn(itemIds[2] as string, date)).toBe(40);
  });

  it('refuses an order with a beyond line, naming it, and writes nothing', async () => {
    const date = addWorkingDays(today, 3);
    const refused = await recordAsRep({
      reference: 'PO-rush',
      date,
      lines: [
        { itemId: itemIds[3] as string, quantity: 5, date: addWorkingDays(today, 12) },
        { itemId: itemIds[3] as string, quantity: 5 },
      ],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^Line 2 is beyond/);
    expect(refused.body.details.order.lines[1].answer.band).toBe('beyond');
    expect(await committedOn(itemIds[3] as string, addWorkingDays(today, 12))).toBe(40);
  });

  it('refuses a line on another workspace’s item or without a date', async () => {
    const stranger = await planningTeam(api, 'Other Pumps');
    const theirs = await createItem(stranger, 'THEIRS');
    const date = addWorkingDays(today, 12);
    const foreign = await team.rep.call('checkOrder', {
      params: params(),
      body: { date, lines: [{ itemId: theirs.id, quantity: 1 }] },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toMatch(/^Line 1/);
    expect(foreign.body.details).toEqual({ field: 'body.lines.0.itemId' });
    const undated = await team.rep.callRaw('checkOrder', {
      params: params(),
      body: { lines: [{ itemId: itemIds[0], quantity: 1 }] },
    });
    expect(undated.status).toBe(400);
    expect(undated.body.details[0].field).toBe('body.date');
  });

  it('records an order through its route, every line findable by deliveries under its reference, in two round trips', async () => {
    const date = addWorkingDays(today, 14);
    const reference = `PO-route-${crypto.randomUUID().slice(0, 8)}`;
    const lines = [0, 1, 1, 2].map((index) => ({ itemId: itemIds[index] as string, quantity: 3 }));
    const recorded = await team.rep.request('POST', `/workspaces/${team.workspaceId}/orders`, {
      reference,
      customer: 'Nordwasser AS',
      date,
      lines,
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(Number(recorded.headers.get('x-accord-db-round-trips'))).toBeLessThanOrEqual(2);
    const ids = recorded.body.commitments.map((commitment: { id: string }) => commitment.id);
    expect(ids).toHaveLength(4);
    const found = present((await indexedReferences(team.workspaceId, [reference])).get(reference));
    expect(found.map((entry) => entry.commitmentId).sort()).toEqual([...ids].sort());
    expect(await committedOn(itemIds[1] as string, date)).toBeGreaterThanOrEqual(6);
  });

  it('refuses the order route to a non-member, writing nothing', async () => {
    const outsider = await api.person('order-outsider');
    const reference = `PO-outsider-${crypto.randomUUID().slice(0, 8)}`;
    const refused = await outsider.call('recordOrder', {
      params: params(),
      body: { reference, date: addWorkingDays(today, 14), lines: [{ itemId: itemIds[4] as string, quantity: 1 }] },
    });
    expect(refused.status).toBe(404);
    expect((await indexedReferences(team.workspaceId, [reference])).get(reference)).toEqual([]);
  });
});
