import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '#contract/csv';
import { weekOf } from '#contract/working-days';
import { startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { commitmentSk, commitmentsGsiPk, commitmentsGsiSk, dynamo, itemCollectionPk, tableName } from '#test/support/table';

/**
 * Commitments stored before approval existed: `status: 'active'`, a
 * `deliveryDate` and none of the later fields, listed on gsi1 as every
 * commitment is, but with no reference index entry and no due queue entry.
 */
let api: TestApi;
let team: PlanningTeam;
let legacy: { id: string; itemId: string; reference: string; deliveryDate: string };
let current: { id: string; reference: string };

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Legacy Pumps');
  const on = await agreedItem(team, 'OLD-1');
  const id = randomUUID();
  const deliveryDate = daysFromToday(-4);
  legacy = { id, itemId: on.item.id, reference: 'OLD-4711', deliveryDate };
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: itemCollectionPk(team.workspaceId, on.item.id),
        sk: commitmentSk(id),
        gsi1pk: commitmentsGsiPk(team.workspaceId),
        gsi1sk: commitmentsGsiSk(deliveryDate, id),
        type: 'Commitment',
        id,
        workspaceId: team.workspaceId,
        itemId: on.item.id,
        itemCode: on.item.code,
        reference: legacy.reference,
        quantity: 6,
        deliveryDate,
        answer: 'standard',
        thresholdCycleId: on.cycle.id,
        thresholdVersion: 1,
        allocation: [{ week: weekOf(deliveryDate), quantity: 6 }],
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
  const seeded = await seedCommitment(team, on, { reference: 'NEW-1', promisedDate: daysFromToday(-2) });
  current = { id: seeded.id, reference: seeded.reference };
  // A declined one, to show the approved filter still leaves other states out.
  await seedCommitment(team, on, { reference: 'NEW-2', promisedDate: daysFromToday(-3), status: 'declined' });
});
afterAll(async () => {
  await api.close();
});

const list = async (query: { state?: 'approved' | 'declined' | 'cancelled' | 'delivered'; overdue?: 'true' }) => {
  const answer = await team.rep.call('listWorkspaceCommitments', {
    params: { workspaceId: team.workspaceId },
    query: { ...query, limit: 50 },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items.map((row) => `${row.reference} ${row.status}`).sort();
};

describe('commitments stored before approval existed', () => {
  it('are approved to the list’s state filter, its overdue filter and its CSV export', async () => {
    expect(await list({ state: 'approved' })).toEqual(['NEW-1 approved', 'OLD-4711 approved']);
    expect(await list({ state: 'declined' })).toEqual(['NEW-2 declined']);
    expect(await list({ state: 'cancelled' })).toEqual([]);
    expect(await list({ overdue: 'true' })).toEqual(['NEW-1 approved', 'OLD-4711 approved']);
    const exported = await team.rep.call('exportWorkspaceCommitments', {
      params: { workspaceId: team.workspaceId },
      query: { state: 'approved' },
    });
    expect(exported.status).toBe(200);
    expect(exported.body.count).toBe(2);
    const [header, ...rows] = parseCsv(exported.body.csv);
    const legacyRow = rows.find((row) => row[0] === legacy.id);
    expect(legacyRow?.[header?.indexOf('state') ?? -1]).toBe('approved');
    expect(legacyRow?.[header?.indexOf('promised date') ?? -1]).toBe(legacy.deliveryDate);
  });

  it('are not found by an import (no reference index entry) but take a delivery by hand, then read as today’s shape', async () => {
    const imported = await team.ops.call('importDeliveries', {
      params: { workspaceId: team.workspaceId },
      body: {
        rows: [
          { reference: legacy.reference, date: today(), quantity: 6 },
          { reference: current.reference, date: today(), quantity: 10 },
        ],
      },
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ applied: 1, notMatched: 1 });
    expect(imported.body.rows.find((row) => row.reference === legacy.reference)).toMatchObject({ outcome: 'not matched' });

    const delivered = await team.ops.call('recordDelivery', {
      params: { workspaceId: team.workspaceId, itemId: legacy.itemId, commitmentId: legacy.id },
      body: { date: today(), quantity: 6 },
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(201);
    expect(delivered.body).toMatchObject({ status: 'delivered', deliveredQuantity: 6, promisedDate: legacy.deliveryDate });
    const { Item } = await dynamo.send(
      new GetCommand({
        TableName: tableName(),
        Key: { pk: itemCollectionPk(team.workspaceId, legacy.itemId), sk: commitmentSk(legacy.id) },
      }),
    );
    expect(Item).toMatchObject({ status: 'delivered', promisedDate: legacy.deliveryDate });
    expect(await list({ state: 'delivered' })).toEqual(['NEW-1 delivered', 'OLD-4711 delivered']);
    expect(await list({ overdue: 'true' })).toEqual([]);
  });
});
