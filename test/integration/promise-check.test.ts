import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, weekOf, weeksFrom } from '#contract/working-days';
import { startApi, type TestApi } from '#test/support/api';
import { type CallInput, present } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';
import { agreedSk, dynamo, itemCollectionPk, tableName, weekSk, whileApiSends } from '#test/support/table';

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
  return { item, cycle, version, base: { workspaceId: team.workspaceId, itemId: item.id } };
}

interface SentCommand {
  name: string;
  input: Record<string, unknown>;
  /** Keys a BatchGetItem asked for. */
  keys: Array<{ pk: string; sk: string }>;
  /** Sort keys of the items that came back. */
  returned: string[];
}

/** The DynamoDB commands sent while `call` runs, with what each asked for and got back. */
async function sentDuring<T>(call: () => Promise<T>): Promise<{ response: T; sent: SentCommand[] }> {
  const sent: SentCommand[] = [];
  const response = await whileApiSends(async (command, send) => {
    const entry: SentCommand = { name: command.constructor.name, input: command.input, keys: [], returned: [] };
    sent.push(entry);
    const requested = command.input.RequestItems as Record<string, { Keys: Array<{ pk: string; sk: string }> }> | undefined;
    entry.keys = Object.values(requested ?? {}).flatMap((table) => table.Keys);
    const output = ((await send(command)) ?? {}) as Record<string, unknown>;
    const items = [
      ...((output.Items as Array<{ sk: string }> | undefined) ?? []),
      ...Object.values((output.Responses as Record<string, Array<{ sk: string }>> | undefined) ?? {}).flat(),
    ];
    entry.returned = items.map((item) => item.sk).sort();
    return output;
  }, call);
  return { response, sent };
}

describe('the promise check', () => {
  it('answers standard, flex and beyond at the boundaries, citing the agreed version', async () => {
    const { base, cycle, version } = await agreedItem('CHK-1');
    const check = async (query: CallInput<'promiseCheck'>['query']) => {
      const response = await team.rep.call('promiseCheck', { params: base, query });
      expect(response.status, JSON.stringify(query)).toBe(200);
      return response.body;
    };

    const standard = await check({ quantity: 10, leadTimeDays: 10 });
    expect(standard).toMatchObject({ band: 'standard', workingDays: 10, flex: null, alternatives: null });
    expect(standard.threshold).toMatchObject({ cycleId: cycle.id, cycleName: 'FY2027 budget', version });
    const free = standard.window.freeStandard as number;
    const flexFree = standard.window.freeFlex as number;
    expect(flexFree).toBeGreaterThan(free);

    expect((await check({ quantity: free, leadTimeDays: 10 })).band).toBe('standard');
    const overCapacity = await check({ quantity: free + 1, leadTimeDays: 10 });
    expect(overCapacity.band).toBe('flex');
    expect(overCapacity.flex).toMatchObject({
      overtime: 12,
      overtimeUnits: 1,
      setup: 400,
      expediteFee: 0,
      approver: 'operations',
    });
    expect((await check({ quantity: flexFree, leadTimeDays: 10 })).band).toBe('flex');
    const beyondCapacity = await check({ quantity: flexFree + 1, leadTimeDays: 10 });
    expect(beyondCapacity.band).toBe('beyond');
    const beyondAlternatives = present(beyondCapacity.alternatives, 'alternatives');
    expect(beyondAlternatives.maxFlexQuantity).toBe(flexFree);
    expect(present(beyondAlternatives.earliestFlexDate) > beyondCapacity.deliveryDate).toBe(true);

    const rushed = await check({ quantity: 10, leadTimeDays: 9, orderValue: 5000 });
    expect(rushed.band).toBe('flex');
    expect(rushed.flex).toMatchObject({ expediteFee: 400, expediteApplies: true, overtime: 0, setup: 400, total: 800 });
    expect((await check({ quantity: 10, leadTimeDays: 5 })).band).toBe('flex');
    const tooSoon = await check({ quantity: 10, leadTimeDays: 4 });
    expect(tooSoon.band).toBe('beyond');
    expect(tooSoon.reasons.join(' ')).toMatch(/flex lead time of 5/);
    expect(present(tooSoon.alternatives).earliestFlexDate).toBe((await check({ quantity: 10, leadTimeDays: 5 })).deliveryDate);
    expect(present(tooSoon.alternatives).earliestStandardDate).toBe(standard.deliveryDate);
  });

  it('costs one BatchGetItem of the agreed threshold and the weeks to the delivery, whatever is booked further ahead', async () => {
    const { base, item } = await agreedItem('CHK-2');
    for (const code of ['CHK-2A', 'CHK-2B', 'CHK-2C']) await createItem(team, code);
    const { today } = (await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } })).body;
    // Commitments from week 8 to about a year and a half ahead: none of them is near the delivery asked about.
    for (const days of [56, 120, 300, 540]) {
      const recorded = await team.rep.call('recordCommitment', {
        params: base,
        body: {
          reference: `Far ${days}`,
          quantity: 5,
          deliveryDate: addDays(today, days),
        },
      });
      expect(recorded.status).toBe(201);
    }

    const standard = await sentDuring(() =>
      team.rep.call('promiseCheck', { params: base, query: { quantity: 3, leadTimeDays: 12 } }),
    );
    expect(standard.response.body.band).toBe('standard');
    // The membership read of the access check, then the check itself.
    expect(standard.sent.map((call) => call.name)).toEqual(['GetCommand', 'BatchGetCommand']);
    const keys = standard.sent[1]?.keys ?? [];
    expect(keys.every((key) => key.pk === `WS#${team.workspaceId}#ITEM#${item.id}`)).toBe(true);
    const deliveryWeek = weekOf(standard.response.body.deliveryDate);
    // This week to the delivery week, and one more for holidays the lead time may have to skip.
    expect(keys.map((key) => key.sk)).toEqual([
      agreedSk,
      ...weeksFrom(today, addDays(deliveryWeek, 7)).map((week) => weekSk(week)),
    ]);
    expect(standard.sent[1]?.returned).toEqual([agreedSk]);

    // Not standard, but the earliest standard date lies within the weeks read: still one request.
    const rushed = await sentDuring(() =>
      team.rep.call('promiseCheck', { params: base, query: { quantity: 3, leadTimeDays: 9 } }),
    );
    expect(rushed.response.body.band).toBe('flex');
    expect(rushed.sent.map((call) => call.name)).toEqual(['GetCommand', 'BatchGetCommand']);

    // A check on a later date reads the weeks up to it, and with them the commitments there.
    const later = await sentDuring(() =>
      team.rep.call('promiseCheck', { params: base, query: { quantity: 3, date: addDays(today, 130) } }),
    );
    expect(later.sent.map((call) => call.name)).toEqual(['GetCommand', 'BatchGetCommand']);
    expect(later.response.body.window.committed).toBe(10);
    expect(later.sent[1]?.returned).toHaveLength(3);
  });

  it('reads the workspace’s time zone inside its one BatchGetItem when it is not known, and answers for the day it is there', async () => {
    const { base } = await agreedItem('CHK-TZ');
    const workspace = await team.admin.call('getWorkspace', { params: { workspaceId: team.workspaceId } });
    // A change of time zone is forgotten by the running function, so the next check must read it.
    const moved = await team.admin.call('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { timeZone: 'Pacific/Kiritimati', expectedVersion: workspace.body.version },
    });
    expect(moved.status).toBe(200);
    try {
      const first = await sentDuring(() =>
        team.rep.call('promiseCheck', { params: base, query: { quantity: 3, leadTimeDays: 12 } }),
      );
      expect(first.response.status).toBe(200);
      expect(first.sent.map((call) => call.name)).toEqual(['GetCommand', 'BatchGetCommand']);
      const keys = first.sent[1]?.keys ?? [];
      expect(keys).toContainEqual({ pk: `WS#${team.workspaceId}`, sk: 'WORKSPACE' });
      // UTC+14: the day there, whatever the hour in UTC.
      const kiritimati = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
      expect(first.response.body.today).toBe(kiritimati);
      // The weeks read cover the delivery worked out from that day.
      const deliveryWeek = weekSk(weekOf(first.response.body.deliveryDate));
      expect(keys.map((key) => key.sk)).toContain(deliveryWeek);
      // Known from then on: the next check reads only the item's keys.
      const second = await sentDuring(() =>
        team.rep.call('promiseCheck', { params: base, query: { quantity: 3, leadTimeDays: 12 } }),
      );
      expect(second.sent[1]?.keys.every((key) => key.sk !== 'WORKSPACE')).toBe(true);
      expect(second.response.body).toEqual(first.response.body);
    } finally {
      const back = await team.admin.call('updateWorkspace', {
        params: { workspaceId: team.workspaceId },
        body: { timeZone: workspace.body.timeZone, expectedVersion: moved.body.version },
      });
      expect(back.status).toBe(200);
    }
  });

  it('reads the weeks after the delivery only when its search for a date runs past them, up to the search horizon', async () => {
    const { base, item } = await agreedItem('CHK-3');
    const { today } = (await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } })).body;
    const week = (n: number) => addDays(weekOf(today), 7 * n);
    // Week 4 fully taken, and capacity taken beyond the search horizon of about two years. No
    // commitment can be recorded that far ahead any more (the promise horizon), so that week's
    // bucket is written as one kept from before the horizon existed.
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'Week 4', quantity: 100, deliveryDate: week(4) },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment.allocation).toEqual([{ week: week(4), quantity: 100 }]);
    const far = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'Far beyond', quantity: 5, deliveryDate: week(120) },
    });
    expect(far.status).toBe(400);
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: itemCollectionPk(team.workspaceId, item.id),
          sk: weekSk(week(120)),
          week: week(120),
          committed: 5,
          version: 1,
          type: 'CapacityBucket',
        },
      }),
    );

    // 500 units by the delivery week (week 2) is beyond 3 weeks of capacity; the first read covers weeks 0 to 3.
    const beyond = await sentDuring(() =>
      team.rep.call('promiseCheck', { params: base, query: { quantity: 500, leadTimeDays: 10 } }),
    );
    expect(beyond.response.body.band).toBe('beyond');
    expect(beyond.sent.map((call) => call.name)).toEqual(['GetCommand', 'BatchGetCommand', 'QueryCommand']);
    const range = beyond.sent[2]?.input.ExpressionAttributeValues as Record<string, string>;
    expect(range[':from']).toBe(weekSk(week(4)));
    const horizon = addWorkingDays(today, 520, []);
    expect(range[':to']).toBe(weekSk(weekOf(horizon)));
    expect(beyond.sent[2]?.returned).toEqual([weekSk(week(4))]);
    // Normal capacity reaches 500 only in week 5, as week 4 is taken; flex reaches it in week 4.
    expect(beyond.response.body.alternatives).toMatchObject({
      earliestStandardDate: week(5),
      earliestFlexDate: week(4),
    });
  });
});

describe('commitments', () => {
  it('take capacity that later checks see, and give it back when cancelled', async () => {
    const { base, version } = await agreedItem('COM-1');
    const first = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } });
    const free = first.body.window.freeStandard as number;
    const deliveryDate = first.body.deliveryDate as string;

    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: {
        reference: 'Deal 4711 Nordwasser',
        quantity: free,
        deliveryDate,
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment).toMatchObject({
      answer: 'standard',
      quantity: free,
      thresholdVersion: version,
      status: 'approved',
    });
    expect(recorded.body.commitment.allocation.reduce((sum: number, part: { quantity: number }) => sum + part.quantity, 0)).toBe(
      free,
    );

    const after = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
    expect(after.body.band).toBe('flex');
    expect(after.body.window).toMatchObject({ freeStandard: 0, committed: free });

    const list = await team.rep.call('listCommitments', { params: base });
    expect(list.body.items.map((c: { reference: string }) => c.reference)).toEqual(['Deal 4711 Nordwasser']);

    const otherRep = await team.opsRep.call('cancelCommitment', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: recorded.body.commitment.id },
      body: { expectedVersion: 1 },
    });
    expect(otherRep.status).toBe(403);
    const stale = await team.rep.call('cancelCommitment', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: recorded.body.commitment.id },
      body: { expectedVersion: 7 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ status: 'approved', version: 1 });
    const cancelled = await team.rep.call('cancelCommitment', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: recorded.body.commitment.id },
      body: { expectedVersion: 1 },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: team.rep.email, version: 2 });
    const again = await team.rep.call('cancelCommitment', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: recorded.body.commitment.id },
      body: { expectedVersion: 2 },
    });
    expect(again.status).toBe(409);

    const freed = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
    expect(freed.body.band).toBe('standard');
    expect(freed.body.window.freeStandard).toBe(free);
  });

  it('never lets two simultaneous commitments both take the same free capacity', async () => {
    const { base } = await agreedItem('COM-RACE');
    const first = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } });
    const free = first.body.window.freeStandard as number;
    const deliveryDate = first.body.deliveryDate as string;
    const results = await Promise.all(
      ['Deal A', 'Deal B'].map((reference) =>
        team.rep.call('recordCommitment', { params: base, body: { reference, quantity: free, deliveryDate } }),
      ),
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
    const after = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
    expect(after.body.window.committed).toBe(free * recorded.length);
    expect((await team.rep.call('listCommitments', { params: base })).body.items).toHaveLength(recorded.length);
  });

  it('records a commitment on a beyond answer as beyond', async () => {
    const { base } = await agreedItem('COM-2');
    const check = await team.rep.call('promiseCheck', { params: base, query: { quantity: 5, leadTimeDays: 2 } });
    expect(check.body.band).toBe('beyond');
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: {
        reference: 'Rush order Fjordkraft',
        quantity: 5,
        deliveryDate: check.body.deliveryDate,
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment.answer).toBe('beyond');
    expect(recorded.body.answer.band).toBe('beyond');
  });

  it('refuses a commitment for an item without an agreed threshold, or in the past', async () => {
    const item = await createItem(team, 'COM-3');
    const none = await team.rep.call('recordCommitment', {
      params: { workspaceId: team.workspaceId, itemId: item.id },
      body: { reference: 'x', quantity: 1, deliveryDate: '2099-01-05' },
    });
    expect(none.status).toBe(404);
    const { base: agreedBase } = await agreedItem('COM-4');
    const past = await team.rep.call('recordCommitment', {
      params: agreedBase,
      body: { reference: 'x', quantity: 1, deliveryDate: '2020-01-06' },
    });
    expect(past.status).toBe(400);
    expect((await team.rep.call('listCommitments', { params: agreedBase })).body.items).toEqual([]);
  });

  it('refuses checks and commitments on an archived item until it is restored', async () => {
    const { base, item } = await agreedItem('COM-ARCH');
    expect(
      (
        await team.sales.call('updatePortfolioItem', {
          params: { workspaceId: team.workspaceId, itemId: item.id },
          body: { archived: true, expectedVersion: 1 },
        })
      ).status,
    ).toBe(200);
    const check = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } });
    expect(check.status).toBe(409);
    expect(check.body.message).toMatch(/archived/);
    const commit = await team.rep.call('recordCommitment', {
      params: base,
      body: {
        reference: 'x',
        quantity: 1,
        deliveryDate: check.body.deliveryDate ?? '2099-01-05',
      },
    });
    expect(commit.status).toBe(409);
    expect(
      (
        await team.sales.call('updatePortfolioItem', {
          params: { workspaceId: team.workspaceId, itemId: item.id },
          body: { archived: false, expectedVersion: 2 },
        })
      ).status,
    ).toBe(200);
    expect((await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } })).body.band).toBe(
      'standard',
    );
  });

  it('applies the new agreed version to checks as soon as it is agreed', async () => {
    const { base, cycle, item } = await agreedItem('COM-5');
    const before = await team.rep.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 7 } });
    expect(before.body.band).toBe('flex');
    await agree(team, cycle.id, item.id, { ...pumpTerms, standardLeadTimeDays: 7 });
    const after = await team.rep.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 7 } });
    expect(after.body).toMatchObject({ band: 'standard', threshold: { version: 2 } });
  });
});
