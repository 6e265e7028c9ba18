import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeliveredCommitments } from '#scripts/bench/generate-deliveries';
import { startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Delivery Pumps');
});
afterAll(async () => {
  await api.close();
});

const params = (commitment: { workspaceId: string; itemId: string; id: string }) => ({
  workspaceId: commitment.workspaceId,
  itemId: commitment.itemId,
  commitmentId: commitment.id,
});

async function stored(commitment: { workspaceId: string; itemId: string; id: string }) {
  const listed = await team.ops.call('listCommitments', {
    params: { workspaceId: commitment.workspaceId, itemId: commitment.itemId },
    query: { limit: 200 },
  });
  const found = listed.body.items.find((candidate) => candidate.id === commitment.id);
  if (!found) throw new Error(`commitment ${commitment.id} not listed`);
  return found;
}

async function keptRate(scope: 'item' | 'rep' | 'band' | 'cycle' | 'workspace', scopeId: string | undefined) {
  const answer = await team.sales.call('getPromiseKeptRate', {
    params: { workspaceId: team.workspaceId },
    query: { scope, ...(scopeId ? { scopeId } : {}), from: daysFromToday(-21), to: daysFromToday(21) },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

describe('recording deliveries by hand', () => {
  it('adds partial deliveries up and marks the commitment delivered once in full', async () => {
    const on = await agreedItem(team, 'DEL-PART');
    const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(7), quantity: 10 });
    const first = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 4 } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ deliveredQuantity: 4, status: 'approved', deliveredAt: today(), overdue: false });
    const second = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 6 } });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ deliveredQuantity: 10, status: 'delivered', deliveryOccurrenceId: null });
  });

  it('refuses more than promised unless over-delivery is allowed, and a date after today, writing nothing', async () => {
    const on = await agreedItem(team, 'DEL-OVER');
    const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(7), quantity: 5 });
    const over = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 6 } });
    expect(over.status).toBe(400);
    expect(JSON.stringify(over.body)).toContain('body.quantity');
    const future = await team.ops.call('recordDelivery', {
      params: params(commitment),
      body: { date: daysFromToday(1), quantity: 1 },
    });
    expect(future.status).toBe(400);
    expect((await stored(commitment)).deliveredQuantity).toBe(0);
    const allowed = await team.ops.call('recordDelivery', {
      params: params(commitment),
      body: { date: today(), quantity: 6, allowOverDelivery: true },
    });
    expect(allowed.status).toBe(201);
    expect(allowed.body).toMatchObject({ deliveredQuantity: 6, status: 'delivered' });
  });

  it('refuses a rep, a sales manager and an operations rep (403), and writes nothing', async () => {
    const on = await agreedItem(team, 'DEL-WHO');
    const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(7) });
    for (const person of [team.rep, team.sales, team.opsRep]) {
      const answer = await person.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 1 } });
      expect(answer.status).toBe(403);
    }
    expect(await stored(commitment)).toMatchObject({ deliveredQuantity: 0, status: 'approved', version: 1 });
    const rate = await keptRate('item', on.item.id);
    expect(rate.totals.settled).toBe(0);
  });

  it('refuses a commitment awaiting approval, declined or cancelled (409), and a delivery after a cancellation', async () => {
    const on = await agreedItem(team, 'DEL-STATE');
    for (const status of ['awaiting approval', 'declined', 'cancelled'] as const) {
      const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(7), status });
      const answer = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 1 } });
      expect(answer.status, status).toBe(409);
    }
    const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(7) });
    const cancelled = await team.rep.call('cancelCommitment', { params: params(commitment), body: { expectedVersion: 1 } });
    expect(cancelled.status).toBe(200);
    const late = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 1 } });
    expect(late.status).toBe(409);
    expect(await stored(commitment)).toMatchObject({ status: 'cancelled', deliveredQuantity: 0 });
  });

  it('adds up racing deliveries exactly and counts the commitment once, run after run', async () => {
    const on = await agreedItem(team, 'DEL-RACE');
    for (let run = 0; run < 6; run += 1) {
      const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(7), quantity: 10 });
      const answers = await Promise.all(
        [3, 3, 2].map((quantity) =>
          team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity } }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
      expect(await stored(commitment)).toMatchObject({ deliveredQuantity: 8, status: 'approved', version: 4 });
    }
    const rate = await keptRate('item', on.item.id);
    expect(rate.totals).toMatchObject({ settled: 6, partial: 6, keptToPromised: 0 });
  });
});

describe('a missed or late promise becomes an occurrence', () => {
  it('logs a missed delivery as a lead-time occurrence with empty costs, linked both ways', async () => {
    const on = await agreedItem(team, 'DEL-MISS');
    const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(3) });
    const missed = await team.ops.call('recordDelivery', {
      params: params(commitment),
      body: { date: today(), missed: true, reason: 'material shortage', note: 'Castings late' },
    });
    expect(missed.status, JSON.stringify(missed.body)).toBe(201);
    expect(missed.body).toMatchObject({ status: 'missed', missedReason: 'material shortage', missedNote: 'Castings late' });
    const issueId = missed.body.leadTimeIssueId;
    const occurrenceId = missed.body.deliveryOccurrenceId;
    expect(issueId).toBeTruthy();
    expect(occurrenceId).toBeTruthy();
    const occurrences = await team.ops.call('listOccurrences', {
      params: { workspaceId: team.workspaceId, issueId: String(issueId) },
    });
    expect(occurrences.status).toBe(200);
    const occurrence = occurrences.body.items.find((candidate) => candidate.id === occurrenceId);
    expect(occurrence).toMatchObject({ commitmentId: commitment.id, detectedAt: 'delivery', totalCost: 0, occurredOn: today() });
    expect(Object.values(occurrence?.cost ?? { x: 1 }).every((value) => value === 0)).toBe(true);
    const issue = await team.ops.call('getMisalignmentIssue', {
      params: { workspaceId: team.workspaceId, issueId: String(issueId) },
    });
    expect(issue.body).toMatchObject({ category: 'lead time', occurrenceCount: 1, totalCost: 0 });
    const again = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 1 } });
    expect(again.status).toBe(409);
  });

  it('logs a late delivery once, carrying the cost the record gives', async () => {
    const on = await agreedItem(team, 'DEL-LATE');
    const commitment = await seedCommitment(team, on, { promisedDate: daysFromToday(-5), quantity: 10 });
    const first = await team.ops.call('recordDelivery', {
      params: params(commitment),
      body: { date: today(), quantity: 4, cost: { 'expedite fees': 120 } },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.overdue).toBe(true);
    const second = await team.ops.call('recordDelivery', { params: params(commitment), body: { date: today(), quantity: 6 } });
    expect(second.body).toMatchObject({ status: 'delivered', deliveryOccurrenceId: first.body.deliveryOccurrenceId });
    const occurrences = await team.ops.call('listOccurrences', {
      params: { workspaceId: team.workspaceId, issueId: String(first.body.leadTimeIssueId) },
    });
    const linked = occurrences.body.items.filter((occurrence) => occurrence.commitmentId === commitment.id);
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ totalCost: 120, detectedAt: 'delivery' });
  });
});

describe('the promise-kept rate', () => {
  it('matches hand arithmetic: 1 kept of 4 is 25 % to promised, and lower to requested dates earlier', async () => {
    const on = await agreedItem(team, 'DEL-KEPT');
    const promised = daysFromToday(7);
    const kept = await seedCommitment(team, on, { promisedDate: promised, requestedDate: daysFromToday(-1), quantity: 10 });
    const partial = await seedCommitment(team, on, { promisedDate: promised, quantity: 10 });
    const late = await seedCommitment(team, on, { promisedDate: daysFromToday(-8), quantity: 10 });
    const missed = await seedCommitment(team, on, { promisedDate: promised, quantity: 10 });
    const deliveries = [
      [kept, { date: today(), quantity: 10 }],
      [partial, { date: today(), quantity: 6 }],
      [late, { date: today(), quantity: 10 }],
      [missed, { date: today(), missed: true, reason: 'capacity' }],
    ] as const;
    for (const [commitment, body] of deliveries) {
      const answer = await team.ops.call('recordDelivery', { params: params(commitment), body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    const rate = await keptRate('item', on.item.id);
    expect(rate.totals).toMatchObject({
      settled: 4,
      keptToPromised: 1,
      keptToRequested: 0,
      partial: 1,
      late: 1,
      missed: 1,
      toPromised: 0.25,
      toRequested: 0,
    });
    expect(rate.target).toBe(0.9);
    const lateWeek = rate.weeks.find((week) => week.settled === 1);
    expect(lateWeek).toMatchObject({ late: 1, toPromised: 0 });
    expect(rate.weeks.find((week) => week.settled === 3)).toMatchObject({ keptToPromised: 1 });
    const cycle = await keptRate('cycle', on.cycle.id);
    expect(cycle.totals).toMatchObject({ settled: 4, keptToPromised: 1 });
    const band = await keptRate('band', 'standard');
    expect(band.totals.settled).toBeGreaterThanOrEqual(4);
    const rep = await keptRate('rep', team.rep.email);
    expect(rep.totals.keptToPromised).toBeGreaterThanOrEqual(1);
  });

  it('answers a scope without an id, or more than 104 weeks, with 400', async () => {
    const noId = await team.sales.call('getPromiseKeptRate', {
      params: { workspaceId: team.workspaceId },
      query: { scope: 'item' },
    });
    expect(noId.status).toBe(400);
    const long = await team.sales.call('getPromiseKeptRate', {
      params: { workspaceId: team.workspaceId },
      query: { scope: 'workspace', from: '2020-01-01', to: '2026-01-01' },
    });
    expect(long.status).toBe(400);
    const workspace = await team.rep.call('getPromiseKeptRate', { params: { workspaceId: team.workspaceId } });
    expect(workspace.status).toBe(200);
    expect(workspace.body.weeks).toHaveLength(53);
  });

  it('reads the counters the bench generates for many commitments as their outcomes add up', async () => {
    const on = await agreedItem(team, 'DEL-GEN');
    await generateDeliveredCommitments(
      { workspaceId: team.workspaceId, itemId: on.item.id, itemCode: on.item.code, cycleId: on.cycle.id },
      { sub: team.opsRep.email, email: team.opsRep.email, name: 'omar-ops' },
      70,
    );
    const answer = await team.sales.call('getPromiseKeptRate', {
      params: { workspaceId: team.workspaceId },
      query: { scope: 'item', scopeId: on.item.id, from: daysFromToday(-200), to: today() },
    });
    // Of 0..69: every 7th missed (10), of the rest every 5th partial (12), every 4th late (15, 3 of them also partial).
    expect(answer.body.totals).toMatchObject({ settled: 70, missed: 10, partial: 12, late: 15, keptToPromised: 36 });
    const listed = await team.ops.call('listCommitments', { params: on.base, query: { limit: 200 } });
    expect(listed.body.items).toHaveLength(70);
  });
});
