import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Import Pumps');
});
afterAll(async () => {
  await api.close();
});

const workspace = () => ({ workspaceId: team.workspaceId });

async function commitmentOf(itemId: string, id: string) {
  const listed = await team.ops.call('listCommitments', {
    params: { workspaceId: team.workspaceId, itemId },
    query: { limit: 200 },
  });
  return listed.body.items.find((commitment) => commitment.id === id);
}

describe('importing deliveries from the ERP', () => {
  it('matches rows by reference and reports applied, not matched, ambiguous and invalid rows by line and column', async () => {
    const on = await agreedItem(team, 'IMP-1');
    const check = await team.rep.call('promiseCheck', { params: on.base, query: { quantity: 8, leadTimeDays: 12 } });
    const recorded = await team.rep.call('recordCommitment', {
      params: on.base,
      body: { reference: 'SO-9001', quantity: 8, deliveryDate: check.body.deliveryDate },
    });
    expect(recorded.status).toBe(201);
    const missed = await seedCommitment(team, on, { reference: 'SO-9002', promisedDate: daysFromToday(2) });
    await seedCommitment(team, on, { reference: 'SO-TWICE', promisedDate: daysFromToday(2) });
    await seedCommitment(team, on, { reference: 'SO-TWICE', promisedDate: daysFromToday(3) });
    const csv = [
      'reference,delivery,date,quantity,missed,reason,note,cost delayed production',
      `SO-9001,D-1,${today()},5,,,,`,
      `SO-9001,D-2,${today()},3,,,,`,
      `SO-9002,D-3,${today()},,yes,transport,"Truck broke down, rebooked",250`,
      `SO-UNKNOWN,D-4,${today()},2,,,,`,
      `SO-TWICE,D-5,${today()},2,,,,`,
      `SO-9001,D-6,${today()},lots,,,,`,
      `SO-9001,D-7,${today()},,yes,weather,,`,
    ].join('\r\n');
    const answer = await team.ops.call('importDeliveries', { params: workspace(), body: { csv } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ applied: 3, notMatched: 1, ambiguous: 1, invalid: 2, alreadyApplied: 0, refused: 0 });
    const byRow = Object.fromEntries(answer.body.rows.map((row) => [row.row, row]));
    expect(byRow[2]).toMatchObject({ outcome: 'applied', commitmentId: recorded.body.commitment.id });
    expect(byRow[5]).toMatchObject({ outcome: 'not matched', reference: 'SO-UNKNOWN' });
    expect(byRow[6]).toMatchObject({ outcome: 'ambiguous', reference: 'SO-TWICE' });
    expect(byRow[7]).toMatchObject({ outcome: 'invalid', column: 'quantity' });
    expect(byRow[8]).toMatchObject({ outcome: 'invalid', column: 'reason' });
    expect(await commitmentOf(on.item.id, recorded.body.commitment.id)).toMatchObject({
      deliveredQuantity: 8,
      status: 'delivered',
    });
    const missedNow = await commitmentOf(on.item.id, missed.id);
    expect(missedNow).toMatchObject({ status: 'missed', missedReason: 'transport' });
    const occurrences = await team.ops.call('listOccurrences', {
      params: { workspaceId: team.workspaceId, issueId: String(missedNow?.leadTimeIssueId) },
    });
    const occurrence = occurrences.body.items.find((candidate) => candidate.id === missedNow?.deliveryOccurrenceId);
    expect(occurrence).toMatchObject({ commitmentId: missed.id, totalCost: 250, detectedAt: 'delivery' });

    const again = await team.ops.call('importDeliveries', { params: workspace(), body: { csv } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: 0, alreadyApplied: 3 });
    expect(await commitmentOf(on.item.id, recorded.body.commitment.id)).toMatchObject({ deliveredQuantity: 8, version: 3 });
  });

  it('takes rows as JSON from an API caller, identifying a row without a delivery number by its content', async () => {
    const on = await agreedItem(team, 'IMP-2');
    const commitment = await seedCommitment(team, on, { reference: 'ERP-77', promisedDate: daysFromToday(4), quantity: 10 });
    const rows = [{ reference: 'ERP-77', date: today(), quantity: 4 }];
    const first = await team.ops.call('importDeliveries', { params: workspace(), body: { rows } });
    expect(first.body).toMatchObject({ applied: 1 });
    const second = await team.ops.call('importDeliveries', { params: workspace(), body: { rows } });
    expect(second.body).toMatchObject({ applied: 0, alreadyApplied: 1 });
    const over = await team.ops.call('importDeliveries', {
      params: workspace(),
      body: { rows: [{ reference: 'ERP-77', deliveryRef: 'X-1', date: today(), quantity: 7 }] },
    });
    expect(over.body).toMatchObject({ applied: 0, refused: 1 });
    expect(over.body.rows[0]).toMatchObject({ column: 'quantity' });
    expect(await commitmentOf(on.item.id, commitment.id)).toMatchObject({ deliveredQuantity: 4 });
  });

  it('refuses a file with an unknown column or too many rows, a rep and a sales manager, writing nothing', async () => {
    const on = await agreedItem(team, 'IMP-3');
    const commitment = await seedCommitment(team, on, { reference: 'SO-LOCK', promisedDate: daysFromToday(4) });
    const header = await team.ops.call('importDeliveries', {
      params: workspace(),
      body: { csv: `reference,date,qty\r\nSO-LOCK,${today()},1\r\n` },
    });
    expect(header.status).toBe(400);
    expect(JSON.stringify(header.body)).toContain('unknown column qty');
    const many = Array.from({ length: 1001 }, () => `SO-LOCK,${today()},1`).join('\r\n');
    const tooMany = await team.ops.call('importDeliveries', {
      params: workspace(),
      body: { csv: `reference,date,quantity\r\n${many}` },
    });
    expect(tooMany.status).toBe(400);
    for (const person of [team.rep, team.sales]) {
      const refused = await person.call('importDeliveries', {
        params: workspace(),
        body: { csv: `reference,date,quantity\r\nSO-LOCK,${today()},1\r\n` },
      });
      expect(refused.status).toBe(403);
    }
    expect(await commitmentOf(on.item.id, commitment.id)).toMatchObject({ deliveredQuantity: 0, version: 1 });
  });
});
