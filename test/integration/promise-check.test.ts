import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../functions/store/client';
import { startApi, type TestApi } from '../support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '../support/planning';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Promise Pumps');
});
afterAll(async () => {
  await api.close();
});

async function agreedItem(code: string) {
  const item = await createItem(team, code);
  const cycle = await createCycle(team);
  const version = await agree(team, cycle.id, item.id);
  return { item, cycle, version, base: `/workspaces/${team.workspaceId}/catalogue/${item.id}` };
}

describe('the promise check', () => {
  it('answers standard, flex and beyond at the boundaries, citing the agreed version', async () => {
    const { base, cycle, version } = await agreedItem('CHK-1');
    const check = async (query: string) => {
      const response = await team.rep.get(`${base}/promise-check?${query}`);
      expect(response.status, query).toBe(200);
      return response.body;
    };

    const standard = await check('quantity=10&leadTimeDays=10');
    expect(standard).toMatchObject({ band: 'standard', workingDays: 10, flex: null, alternatives: null });
    expect(standard.threshold).toMatchObject({ cycleId: cycle.id, cycleName: 'FY2027 budget', version });
    const free = standard.window.freeStandard as number;
    const flexFree = standard.window.freeFlex as number;
    expect(flexFree).toBeGreaterThan(free);

    expect((await check(`quantity=${free}&leadTimeDays=10`)).band).toBe('standard');
    const overCapacity = await check(`quantity=${free + 1}&leadTimeDays=10`);
    expect(overCapacity.band).toBe('flex');
    expect(overCapacity.flex).toMatchObject({
      overtime: 12,
      overtimeUnits: 1,
      setup: 400,
      expediteFee: 0,
      approver: 'operations',
    });
    expect((await check(`quantity=${flexFree}&leadTimeDays=10`)).band).toBe('flex');
    const beyondCapacity = await check(`quantity=${flexFree + 1}&leadTimeDays=10`);
    expect(beyondCapacity.band).toBe('beyond');
    expect(beyondCapacity.alternatives.maxFlexQuantity).toBe(flexFree);
    expect(beyondCapacity.alternatives.earliestFlexDate > beyondCapacity.deliveryDate).toBe(true);

    const rushed = await check('quantity=10&leadTimeDays=9&orderValue=5000');
    expect(rushed.band).toBe('flex');
    expect(rushed.flex).toMatchObject({ expediteFee: 400, expediteApplies: true, overtime: 0, setup: 400, total: 800 });
    expect((await check('quantity=10&leadTimeDays=5')).band).toBe('flex');
    const tooSoon = await check('quantity=10&leadTimeDays=4');
    expect(tooSoon.band).toBe('beyond');
    expect(tooSoon.reasons.join(' ')).toMatch(/flex lead time of 5/);
    expect(tooSoon.alternatives.earliestFlexDate).toBe((await check('quantity=10&leadTimeDays=5')).deliveryDate);
    expect(tooSoon.alternatives.earliestStandardDate).toBe(standard.deliveryDate);
  });

  it('costs one Query over the item collection, whatever else the workspace holds', async () => {
    const { base } = await agreedItem('CHK-2');
    for (const code of ['CHK-2A', 'CHK-2B', 'CHK-2C']) await createItem(team, code);
    const sent: string[] = [];
    const original = dynamo.send.bind(dynamo);
    const spy = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      sent.push(command.constructor.name);
      return (original as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof dynamo.send;
    dynamo.send = spy;
    try {
      const response = await team.rep.get(`${base}/promise-check?quantity=3&leadTimeDays=12`);
      expect(response.status).toBe(200);
    } finally {
      dynamo.send = original;
    }
    // The membership read of the access check, then the check itself.
    expect(sent).toEqual(['GetCommand', 'QueryCommand']);
  });
});

describe('commitments', () => {
  it('take capacity that later checks see, and give it back when cancelled', async () => {
    const { base, version } = await agreedItem('COM-1');
    const first = await team.rep.get(`${base}/promise-check?quantity=1&leadTimeDays=10`);
    const free = first.body.window.freeStandard as number;
    const deliveryDate = first.body.deliveryDate as string;

    const recorded = await team.rep.post(`${base}/commitments`, {
      reference: 'Deal 4711 Nordwasser',
      quantity: free,
      deliveryDate,
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment).toMatchObject({
      answer: 'standard',
      quantity: free,
      thresholdVersion: version,
      status: 'active',
    });
    expect(recorded.body.commitment.allocation.reduce((sum: number, part: { quantity: number }) => sum + part.quantity, 0)).toBe(
      free,
    );

    const after = await team.rep.get(`${base}/promise-check?quantity=1&date=${deliveryDate}`);
    expect(after.body.band).toBe('flex');
    expect(after.body.window).toMatchObject({ freeStandard: 0, committed: free });

    const list = await team.rep.get(`${base}/commitments`);
    expect(list.body.items.map((c: { reference: string }) => c.reference)).toEqual(['Deal 4711 Nordwasser']);

    const otherRep = await team.opsRep.post(`${base}/commitments/${recorded.body.commitment.id}/cancel`, { expectedVersion: 1 });
    expect(otherRep.status).toBe(403);
    const stale = await team.rep.post(`${base}/commitments/${recorded.body.commitment.id}/cancel`, { expectedVersion: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ status: 'active', version: 1 });
    const cancelled = await team.rep.post(`${base}/commitments/${recorded.body.commitment.id}/cancel`, { expectedVersion: 1 });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: team.rep.email, version: 2 });
    const again = await team.rep.post(`${base}/commitments/${recorded.body.commitment.id}/cancel`, { expectedVersion: 2 });
    expect(again.status).toBe(409);

    const freed = await team.rep.get(`${base}/promise-check?quantity=1&date=${deliveryDate}`);
    expect(freed.body.band).toBe('standard');
    expect(freed.body.window.freeStandard).toBe(free);
  });

  it('never lets two simultaneous commitments both take the same free capacity', async () => {
    const { base } = await agreedItem('COM-RACE');
    const first = await team.rep.get(`${base}/promise-check?quantity=1&leadTimeDays=10`);
    const free = first.body.window.freeStandard as number;
    const deliveryDate = first.body.deliveryDate as string;
    const results = await Promise.all(
      ['Deal A', 'Deal B'].map((reference) => team.rep.post(`${base}/commitments`, { reference, quantity: free, deliveryDate })),
    );
    // Whichever runs second either loses the race (409 with the check as it is now) or, if it ran after the
    // first had committed, is recorded as beyond: never as a second standard promise of the same capacity.
    const recorded = results.filter((result) => result.status === 201).map((result) => result.body.commitment.answer);
    expect(recorded.filter((answer) => answer === 'standard')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 201) continue;
      expect(result.status).toBe(409);
      expect(result.body.details.current).toMatchObject({ band: 'beyond', window: { freeStandard: 0 } });
    }
    const after = await team.rep.get(`${base}/promise-check?quantity=1&date=${deliveryDate}`);
    expect(after.body.window.committed).toBe(free * recorded.length);
    expect((await team.rep.get(`${base}/commitments`)).body.items).toHaveLength(recorded.length);
  });

  it('records a commitment on a beyond answer as beyond', async () => {
    const { base } = await agreedItem('COM-2');
    const check = await team.rep.get(`${base}/promise-check?quantity=5&leadTimeDays=2`);
    expect(check.body.band).toBe('beyond');
    const recorded = await team.rep.post(`${base}/commitments`, {
      reference: 'Rush order Fjordkraft',
      quantity: 5,
      deliveryDate: check.body.deliveryDate,
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment.answer).toBe('beyond');
    expect(recorded.body.answer.band).toBe('beyond');
  });

  it('refuses a commitment for an item without an agreed threshold, or in the past', async () => {
    const item = await createItem(team, 'COM-3');
    const base = `/workspaces/${team.workspaceId}/catalogue/${item.id}`;
    const none = await team.rep.post(`${base}/commitments`, { reference: 'x', quantity: 1, deliveryDate: '2099-01-05' });
    expect(none.status).toBe(404);
    const { base: agreedBase } = await agreedItem('COM-4');
    const past = await team.rep.post(`${agreedBase}/commitments`, { reference: 'x', quantity: 1, deliveryDate: '2020-01-06' });
    expect(past.status).toBe(400);
    expect((await team.rep.get(`${agreedBase}/commitments`)).body.items).toEqual([]);
  });

  it('refuses checks and commitments on an archived item until it is restored', async () => {
    const { base, item } = await agreedItem('COM-ARCH');
    const itemPath = `/workspaces/${team.workspaceId}/portfolio-items/${item.id}`;
    expect((await team.sales.patch(itemPath, { archived: true, expectedVersion: 1 })).status).toBe(200);
    const check = await team.rep.get(`${base}/promise-check?quantity=1&leadTimeDays=10`);
    expect(check.status).toBe(409);
    expect(check.body.message).toMatch(/archived/);
    const commit = await team.rep.post(`${base}/commitments`, {
      reference: 'x',
      quantity: 1,
      deliveryDate: check.body.deliveryDate ?? '2099-01-05',
    });
    expect(commit.status).toBe(409);
    expect((await team.sales.patch(itemPath, { archived: false, expectedVersion: 2 })).status).toBe(200);
    expect((await team.rep.get(`${base}/promise-check?quantity=1&leadTimeDays=10`)).body.band).toBe('standard');
  });

  it('applies the new agreed version to checks as soon as it is agreed', async () => {
    const { base, cycle, item } = await agreedItem('COM-5');
    const before = await team.rep.get(`${base}/promise-check?quantity=10&leadTimeDays=7`);
    expect(before.body.band).toBe('flex');
    await agree(team, cycle.id, item.id, { ...pumpTerms, standardLeadTimeDays: 7 });
    const after = await team.rep.get(`${base}/promise-check?quantity=10&leadTimeDays=7`);
    expect(after.body).toMatchObject({ band: 'standard', threshold: { version: 2 } });
  });
});
