import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, weekOf } from '#contract/working-days';
import { startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { commitmentSk, dynamo, itemCollectionPk, tableName } from '#test/support/table';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Approval Pumps');
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

describe('the commitment model', () => {
  it('keeps the whole promise: requested and promised dates, order value, customer, band and flex cost', async () => {
    const { base, version, cycle } = await agreedItem('MOD-1');
    const check = await team.rep.call('promiseCheck', {
      params: base,
      query: { quantity: 10, leadTimeDays: 7, orderValue: 1000 },
    });
    expect(check.body.band).toBe('flex');
    const requestedDate = addDays(check.body.deliveryDate, -2);
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: {
        reference: 'SO-4711',
        customer: 'Nordwasser AS',
        quantity: 10,
        deliveryDate: check.body.deliveryDate,
        requestedDate,
        orderValue: 1000,
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment).toMatchObject({
      reference: 'SO-4711',
      customer: 'Nordwasser AS',
      requestedDate,
      promisedDate: check.body.deliveryDate,
      orderValue: 1000,
      answer: 'flex',
      flexCost: { expedite: 80, overtime: 0, setup: 400, total: 480, currency: 'EUR' },
      thresholdCycleId: cycle.id,
      thresholdVersion: version,
      recordedBy: team.rep.email,
      deliveredQuantity: 0,
      overdue: false,
    });
    const listed = await team.rep.call('listCommitments', { params: base });
    expect(listed.body.items[0]).toMatchObject({ id: recorded.body.commitment.id, requestedDate, overdue: false });
  });

  it('defaults the requested date to the promised one, and an order value left out or null to unknown', async () => {
    const { base } = await agreedItem('MOD-2');
    const check = await team.rep.call('promiseCheck', { params: base, query: { quantity: 5, leadTimeDays: 12 } });
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'SO-1', quantity: 5, deliveryDate: check.body.deliveryDate, orderValue: null },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.commitment).toMatchObject({
      requestedDate: check.body.deliveryDate,
      promisedDate: check.body.deliveryDate,
      orderValue: null,
      customer: null,
      answer: 'standard',
      flexCost: null,
      status: 'approved',
      decidedBy: null,
      timeToDecisionMs: null,
    });
  });

  it('reads commitments stored before the whole promise was kept, and shows them overdue once their date passed', async () => {
    const { base, cycle, item } = await agreedItem('MOD-OLD');
    const id = randomUUID();
    const deliveryDate = '2026-01-07';
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: itemCollectionPk(team.workspaceId, item.id),
          sk: commitmentSk(id),
          type: 'Commitment',
          id,
          workspaceId: team.workspaceId,
          itemId: item.id,
          itemCode: item.code,
          reference: 'Old deal',
          quantity: 3,
          deliveryDate,
          answer: 'standard',
          thresholdCycleId: cycle.id,
          thresholdVersion: 1,
          allocation: [{ week: weekOf(deliveryDate), quantity: 3 }],
          leadTimeIssueId: null,
          occurrenceId: null,
          status: 'active',
          recordedBy: team.rep.email,
          recordedByName: 'rita-rep',
          createdAt: '2026-01-02T09:00:00.000Z',
          cancelledBy: null,
          cancelledAt: null,
          updatedAt: '2026-01-02T09:00:00.000Z',
          version: 1,
        },
      }),
    );
    const listed = await team.rep.call('listCommitments', { params: base });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((commitment: { id: string }) => commitment.id === id)).toMatchObject({
      promisedDate: deliveryDate,
      requestedDate: deliveryDate,
      status: 'approved',
      orderValue: null,
      flexCost: null,
      customer: null,
      deliveredQuantity: 0,
      overdue: true,
    });
  });
});

describe('the promise check’s warnings', () => {
  it('warns of a day off, a date far ahead, says how much to order, and counts products in whole units', async () => {
    const { base } = await agreedItem('WARN-1');
    const today = (await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 12 } })).body.today;
    let saturday = addDays(today, 20);
    while (new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, 1);
    const weekend = await team.rep.call('promiseCheck', { params: base, query: { quantity: 5, date: saturday } });
    expect(weekend.status).toBe(200);
    expect(weekend.body.warnings.join(' ')).toContain(`${saturday} is not a working day`);
    const far = addDays(today, 400);
    const later = await team.rep.call('promiseCheck', { params: base, query: { quantity: 5, date: far } });
    expect(later.body.warnings.join(' ')).toMatch(/more than a year ahead/);
    expect(later.body.warnings.join(' ')).toMatch(/is outside FY2027 budget/);
    const plain = await team.rep.call('promiseCheck', { params: base, query: { quantity: 5, leadTimeDays: 12 } });
    expect(plain.body.warnings).toEqual([]);

    const part = await team.rep.call('promiseCheck', { params: base, query: { quantity: 2.5, leadTimeDays: 12 } });
    expect(part.status).toBe(400);
    expect(part.body.details[0]).toMatchObject({ field: 'query.quantity', message: 'must be a whole number of unit' });
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'SO-half', quantity: 2.5, deliveryDate: plain.body.deliveryDate },
    });
    expect(recorded.status).toBe(400);
    expect(recorded.body.details[0].field).toBe('body.quantity');
  });
});
