import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
/** A second operations manager, for two approvers racing. */
let ops2: Person;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Decision Pumps');
  const email = uniqueEmail('otto-ops');
  const invited = await team.admin.call('inviteMember', {
    params: { workspaceId: team.workspaceId },
    body: { email, name: 'otto-ops', function: 'operations', role: 'manager' },
  });
  expect(invited.status).toBe(201);
  ops2 = await signInAs(api, email, 'otto-ops');
});
afterAll(async () => {
  await api.close();
});

async function agreedItem(code: string) {
  const item = await createItem(team, code);
  const cycle = await createCycle(team);
  await agree(team, cycle.id, item.id);
  return { workspaceId: team.workspaceId, itemId: item.id };
}

/** A flex commitment by `who` (the rep unless said): 10 units on a shortened lead time. */
async function flexCommitment(base: { workspaceId: string; itemId: string }, reference: string, who: Person = team.rep) {
  const check = await who.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 7 } });
  expect(check.body.band).toBe('flex');
  const recorded = await who.call('recordCommitment', {
    params: base,
    body: { reference, quantity: 10, deliveryDate: check.body.deliveryDate },
  });
  expect(recorded.status).toBe(201);
  return { commitment: recorded.body.commitment, deliveryDate: check.body.deliveryDate as string };
}

const decide = (
  who: Person,
  how: 'approveCommitment' | 'declineCommitment',
  commitment: { workspaceId: string; itemId: string; id: string; version: number },
  reason = 'Checked with the line',
) =>
  who.call(how, {
    params: { workspaceId: commitment.workspaceId, itemId: commitment.itemId, commitmentId: commitment.id },
    body: { reason, expectedVersion: commitment.version },
  });

const stored = async (commitment: { workspaceId: string; itemId: string; id: string }) => {
  const list = await team.rep.call('listCommitments', {
    params: { workspaceId: commitment.workspaceId, itemId: commitment.itemId },
  });
  return list.body.items.find((found: { id: string }) => found.id === commitment.id);
};

describe('approval of flex commitments', () => {
  it('makes a rep’s flex commitment wait, holding its capacity, in the approvers’ list and the rep’s own', async () => {
    const base = await agreedItem('APP-1');
    const { commitment, deliveryDate } = await flexCommitment(base, 'SO-wait');
    expect(commitment).toMatchObject({ status: 'awaiting approval', answer: 'flex', decidedBy: null, overdue: false });
    const after = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
    expect(after.body.window.committed).toBe(10);

    const awaiting = await team.ops.call('listCommitmentApprovals', {
      params: { workspaceId: team.workspaceId },
      query: { show: 'awaiting' },
    });
    expect(awaiting.body.items.map((found: { id: string }) => found.id)).toContain(commitment.id);
    const mine = await team.rep.call('listCommitmentApprovals', {
      params: { workspaceId: team.workspaceId },
      query: { show: 'mine' },
    });
    expect(mine.body.items.find((found: { id: string }) => found.id === commitment.id)).toMatchObject({
      status: 'awaiting approval',
    });
    const othersMine = await team.sales.call('listCommitmentApprovals', {
      params: { workspaceId: team.workspaceId },
      query: { show: 'mine' },
    });
    expect(othersMine.body.items.map((found: { id: string }) => found.id)).not.toContain(commitment.id);
  });

  it('records a standard commitment approved at once', async () => {
    const base = await agreedItem('APP-STD');
    const check = await team.rep.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 12 } });
    expect(check.body.band).toBe('standard');
    const recorded = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'SO-std', quantity: 10, deliveryDate: check.body.deliveryDate },
    });
    expect(recorded.body.commitment.status).toBe('approved');
  });

  it('refuses a sales manager, a rep, an operations rep, marketing and whoever recorded it, writing nothing', async () => {
    const base = await agreedItem('APP-403');
    const { commitment } = await flexCommitment(base, 'SO-403');
    const byOps = await flexCommitment(base, 'SO-ops-own', team.ops);
    for (const [who, label] of [
      [team.sales, 'sales manager'],
      [team.rep, 'the rep who recorded it'],
      [team.opsRep, 'operations rep'],
      [team.marketing, 'marketing manager'],
      [team.admin, 'admin in management'],
    ] as const) {
      for (const how of ['approveCommitment', 'declineCommitment'] as const) {
        const refused = await decide(who, how, commitment);
        expect(refused.status, `${label} ${how}`).toBe(403);
        expect(refused.body.message, label).toMatch(/operations manager/);
      }
    }
    const own = await decide(team.ops, 'approveCommitment', byOps.commitment);
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/You recorded this commitment/);
    expect(await stored(commitment)).toMatchObject({ status: 'awaiting approval', version: 1, decidedBy: null });
    expect(await stored(byOps.commitment)).toMatchObject({ status: 'awaiting approval', version: 1 });
  });

  it('lets an operations manager approve, with the time to decision, once', async () => {
    const base = await agreedItem('APP-OK');
    const { commitment } = await flexCommitment(base, 'SO-ok');
    const approved = await decide(team.ops, 'approveCommitment', commitment, 'Overtime booked');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: team.ops.email,
      decisionReason: 'Overtime booked',
      version: 2,
    });
    expect(approved.body.timeToDecisionMs).toBeGreaterThanOrEqual(0);
    expect(approved.body.timeToDecisionMs).toBeLessThan(120_000);
    expect(await stored(commitment)).toMatchObject({ status: 'approved', decidedAt: approved.body.decidedAt });
    const again = await decide(ops2, 'approveCommitment', approved.body);
    expect(again.status).toBe(409);

    const awaiting = await team.ops.call('listCommitmentApprovals', { params: { workspaceId: team.workspaceId }, query: {} });
    expect(awaiting.body.items.map((found: { id: string }) => found.id)).not.toContain(commitment.id);
    const mine = await team.rep.call('listCommitmentApprovals', {
      params: { workspaceId: team.workspaceId },
      query: { show: 'mine' },
    });
    expect(mine.body.items.find((found: { id: string }) => found.id === commitment.id)).toMatchObject({
      status: 'approved',
      decidedByName: 'olga-ops',
    });
  });

  it('frees exactly the capacity of a declined commitment, and needs a reason', async () => {
    const base = await agreedItem('APP-DECL');
    const { commitment, deliveryDate } = await flexCommitment(base, 'SO-decline');
    const noReason = await decide(team.ops, 'declineCommitment', commitment, '');
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].field).toBe('body.reason');
    const declined = await decide(team.ops, 'declineCommitment', commitment, 'Line down for maintenance');
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', decisionReason: 'Line down for maintenance' });
    const later = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
    expect(later.body.window.committed).toBe(0);
    const cancel = await team.rep.call('cancelCommitment', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: commitment.id },
      body: { expectedVersion: 2 },
    });
    expect(cancel.status).toBe(409);
  });

  it('refuses to approve a flex commitment whose week no longer fits the flex band', async () => {
    const base = await agreedItem('APP-FULL');
    const first = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 12 } });
    const deliveryDate = first.body.deliveryDate as string;
    const free = first.body.window.freeStandard as number;
    const flex = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'SO-flex', quantity: free + 10, deliveryDate },
    });
    expect(flex.body.commitment).toMatchObject({ answer: 'flex', status: 'awaiting approval' });
    const now = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
    const beyond = await team.rep.call('recordCommitment', {
      params: base,
      body: { reference: 'SO-rush', quantity: now.body.window.freeFlex + 5, deliveryDate },
    });
    expect(beyond.body.commitment.answer).toBe('beyond');
    const refused = await decide(team.ops, 'approveCommitment', flex.body.commitment);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/Capacity no longer fits/);
    expect(await stored(flex.body.commitment)).toMatchObject({ status: 'awaiting approval', version: 1 });
    // A beyond commitment is approved as beyond: operations accepts going past the threshold.
    const beyondApproved = await decide(team.ops, 'approveCommitment', beyond.body.commitment);
    expect(beyondApproved.status).toBe(200);
    expect(beyondApproved.body.occurrenceId).toBe(beyond.body.commitment.occurrenceId);
  });

  it('lets exactly one of racing decisions win, every time', async () => {
    const base = await agreedItem('APP-RACE');
    for (let round = 0; round < 8; round += 1) {
      const { commitment, deliveryDate } = await flexCommitment(base, `SO-race-${round}`);
      const [first, second] =
        round % 2 === 0
          ? await Promise.all([decide(team.ops, 'approveCommitment', commitment), decide(ops2, 'declineCommitment', commitment)])
          : await Promise.all([decide(team.ops, 'approveCommitment', commitment), decide(ops2, 'approveCommitment', commitment)]);
      const statuses = [first.status, second.status].sort();
      expect(statuses, `round ${round}`).toEqual([200, 409]);
      const winner = first.status === 200 ? first.body : second.body;
      expect(await stored(commitment)).toMatchObject({ status: winner.status, version: 2, decidedBy: winner.decidedBy });
      const check = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
      const held = winner.status === 'approved' ? 10 : 0;
      // Earlier rounds' approved commitments hold their capacity too, in their own weeks.
      expect(check.body.window.committed).toBeGreaterThanOrEqual(held);
      if (winner.status === 'approved') {
        const cancelled = await team.rep.call('cancelCommitment', {
          params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: commitment.id },
          body: { expectedVersion: 2 },
        });
        expect(cancelled.status).toBe(200);
      }
      const freed = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: deliveryDate } });
      expect(freed.body.window.committed, `round ${round}`).toBe(0);
    }
  }, 120_000);
});

describe('the approval setting and the impact', () => {
  it('follows the workspace’s choice of bands that need approval', async () => {
    const base = await agreedItem('APP-SET');
    const workspace = await team.admin.call('getWorkspace', { params: { workspaceId: team.workspaceId } });
    expect(workspace.body.approvalBands).toEqual(['flex', 'beyond']);
    const byOps = await team.ops.call('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { approvalBands: [], expectedVersion: workspace.body.version },
    });
    expect(byOps.status).toBe(403);
    const none = await team.admin.call('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { approvalBands: ['beyond'], expectedVersion: workspace.body.version },
    });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ approvalBands: ['beyond'], timeZone: workspace.body.timeZone });
    try {
      const { commitment } = await flexCommitment(base, 'SO-no-approval');
      expect(commitment.status).toBe('approved');
    } finally {
      const back = await team.admin.call('updateWorkspace', {
        params: { workspaceId: team.workspaceId },
        body: { approvalBands: ['flex', 'beyond'], expectedVersion: none.body.version },
      });
      expect(back.status).toBe(200);
    }
    const standardToo = await team.admin.callRaw('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { approvalBands: ['standard'], expectedVersion: none.body.version + 1 },
    });
    expect(standardToo.status).toBe(400);
  });

  it('shows the weeks a commitment uses, the flex band it leaves and the other commitments there', async () => {
    const base = await agreedItem('APP-IMPACT');
    const other = await flexCommitment(base, 'SO-other');
    const { commitment } = await flexCommitment(base, 'SO-impact');
    const impact = await team.ops.call('getCommitmentImpact', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: commitment.id },
    });
    expect(impact.status).toBe(200);
    expect(impact.body.commitment.id).toBe(commitment.id);
    expect(impact.body.weeks.map((week: { week: string }) => week.week)).toEqual(
      commitment.allocation.map((part: { week: string }) => part.week),
    );
    const totalTaken = impact.body.weeks.reduce((sum: number, week: { quantity: number }) => sum + week.quantity, 0);
    expect(totalTaken).toBe(10);
    for (const week of impact.body.weeks) {
      expect(week.flexLimit).toBe(120);
      expect(week.flexLeft).toBe(120 - week.committed);
    }
    expect(impact.body.others.map((found: { id: string }) => found.id)).toEqual([other.commitment.id]);
  });
});
