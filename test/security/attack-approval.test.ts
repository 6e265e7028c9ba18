import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader } from '#contract/machine';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { auditEvents, partitionItems } from '#test/support/snapshot';

/**
 * Commitment approval and decline attacked from outside: twins racing one
 * decision, a decision racing a cancellation, paths that name the
 * commitment under another item or workspace, and a recorder promoted to
 * approver. The commitment and its item's collection must stay as they were
 * whenever the answer is a refusal.
 */
let api: TestApi;
let team: PlanningTeam;
let ops2: Person;
let outsider: Person;
let otherWorkspaceId: string;

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Approval Attack');
  const email = uniqueEmail('otto-ops');
  await team.admin.call('inviteMember', {
    params: { workspaceId: team.workspaceId },
    body: { email, name: 'otto-ops', function: 'operations', role: 'manager' },
  });
  ops2 = await signInAs(api, email, 'otto-ops');
  outsider = await api.person('approval-outsider');
  otherWorkspaceId = (await outsider.call('createWorkspace', { body: { name: 'Approval Elsewhere' } })).body.id;
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

/** A flex commitment (10 units on a shortened lead time), which waits for approval. */
async function flexCommitment(base: { workspaceId: string; itemId: string }, reference: string, who: Person = team.rep) {
  const check = await who.call('promiseCheck', { params: base, query: { quantity: 10, leadTimeDays: 7 } });
  expect(check.body.band).toBe('flex');
  const recorded = await who.call('recordCommitment', {
    params: base,
    body: { reference, quantity: 10, deliveryDate: check.body.deliveryDate },
  });
  expect(recorded.status).toBe(201);
  expect(recorded.body.commitment.status).toBe('awaiting approval');
  return recorded.body.commitment as { id: string; workspaceId: string; itemId: string; version: number };
}

type Decision = 'approveCommitment' | 'declineCommitment';
const decide = (
  who: Person,
  how: Decision,
  commitment: { id: string; version: number },
  at: { workspaceId: string; itemId: string },
) =>
  who.call(how, {
    params: { workspaceId: at.workspaceId, itemId: at.itemId, commitmentId: commitment.id },
    body: { reason: 'Checked with the line', expectedVersion: commitment.version },
  });

const collection = (base: { workspaceId: string; itemId: string }) =>
  partitionItems(base.workspaceId, undefined, undefined, `#ITEM#${base.itemId}`).then((items) =>
    items.map((item) => JSON.stringify(item)).sort(),
  );

const inboxOf = async (who: Person) =>
  (await who.call('listNotifications', { params: { workspaceId: team.workspaceId }, query: { order: 'newest', limit: 200 } }))
    .body.notifications as Array<{ kind: string; subjectId: string }>;

describe('racing twins of one decision', () => {
  it('lets exactly one of 15 identical approvals win, with one audit event and one notification, round after round', async () => {
    const base = await agreedItem('AA-TWINS');
    for (let round = 0; round < 3; round++) {
      const commitment = await flexCommitment(base, `SO-twins-${round}`);
      const answers = await Promise.all(
        Array.from({ length: 15 }, () => decide(team.ops, 'approveCommitment', commitment, base)),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(
        statuses.filter((status) => status === 200),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        statuses.filter((status) => status === 409),
        `round ${round}`,
      ).toHaveLength(14);
      for (const refused of answers.filter((answer) => answer.status !== 200)) {
        expect(refused.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      const decided = (await auditEvents(team.workspaceId)).filter(
        (event) => JSON.stringify(event).includes(commitment.id) && /approv/i.test(String(event.action)),
      );
      expect(decided, `round ${round}`).toHaveLength(1);
      const told = (await inboxOf(team.rep)).filter(
        (notice) => notice.subjectId === commitment.id && notice.kind === 'commitment approved',
      );
      expect(told, `round ${round}`).toHaveLength(1);
    }
  }, 90_000);

  it('lets exactly one of ten approvals and ten declines by two approvers win, round after round', async () => {
    const base = await agreedItem('AA-MIXED');
    for (let round = 0; round < 3; round++) {
      const commitment = await flexCommitment(base, `SO-mixed-${round}`);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, twin) =>
          twin % 2 === 0
            ? decide(team.ops, 'approveCommitment', commitment, base)
            : decide(ops2, 'declineCommitment', commitment, base),
        ),
      );
      const winners = answers.filter((answer) => answer.status === 200);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 409)).toHaveLength(19);
      const listed = await team.rep.call('listCommitments', { params: base });
      const stored = listed.body.items.find((found: { id: string }) => found.id === commitment.id);
      expect(stored).toMatchObject({ status: winners[0]?.body.status, version: 2 });
    }
  }, 90_000);

  it('lets exactly one of a cancellation and approvals racing it win', async () => {
    const base = await agreedItem('AA-CANCEL-RACE');
    for (let round = 0; round < 3; round++) {
      const commitment = await flexCommitment(base, `SO-cancel-race-${round}`);
      const params = { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: commitment.id };
      const answers = await Promise.all([
        team.rep.call('cancelCommitment', { params, body: { expectedVersion: commitment.version } }),
        ...Array.from({ length: 10 }, () => decide(team.ops, 'approveCommitment', commitment, base)),
      ]);
      expect(
        answers.filter((answer) => answer.status === 200),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        answers.filter((answer) => answer.status === 409),
        `round ${round}`,
      ).toHaveLength(10);
    }
  }, 90_000);
});

describe('deciding what cannot be decided', () => {
  it('refuses to approve or decline a cancelled commitment with 409, even naming its new version', async () => {
    const base = await agreedItem('AA-CANCELLED');
    const commitment = await flexCommitment(base, 'SO-cancelled');
    const cancelled = await team.rep.call('cancelCommitment', {
      params: { workspaceId: base.workspaceId, itemId: base.itemId, commitmentId: commitment.id },
      body: { expectedVersion: commitment.version },
    });
    expect(cancelled.status).toBe(200);
    const before = await collection(base);
    for (const how of ['approveCommitment', 'declineCommitment'] as const) {
      for (const version of [commitment.version, cancelled.body.version]) {
        const answer = await decide(team.ops, how, { id: commitment.id, version }, base);
        expect(answer.status, `${how} on version ${version}`).toBe(409);
        expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
    }
    expect(await collection(base)).toEqual(before);
  });

  it('refuses a made-up version with 409 and writes nothing', async () => {
    const base = await agreedItem('AA-VERSION');
    const commitment = await flexCommitment(base, 'SO-version');
    const before = await collection(base);
    const answer = await decide(team.ops, 'approveCommitment', { id: commitment.id, version: 99 }, base);
    expect(answer.status).toBe(409);
    expect(await collection(base)).toEqual(before);
  });

  it('refuses a commitment named under another item of the workspace with 404', async () => {
    const base = await agreedItem('AA-PATH-A');
    const other = await agreedItem('AA-PATH-B');
    const commitment = await flexCommitment(base, 'SO-path');
    const [before, beforeOther] = [await collection(base), await collection(other)];
    for (const how of ['approveCommitment', 'declineCommitment'] as const) {
      const answer = await decide(team.ops, how, commitment, other);
      expect(answer.status, how).toBe(404);
      expect(answer.body).toMatchObject({ error: expect.any(String) });
    }
    expect(await collection(base)).toEqual(before);
    expect(await collection(other)).toEqual(beforeOther);
  });

  it('refuses an outsider, on this workspace’s path (404) and on their own (404), writing nothing', async () => {
    const base = await agreedItem('AA-OUTSIDER');
    const commitment = await flexCommitment(base, 'SO-outsider');
    const before = await collection(base);
    for (const how of ['approveCommitment', 'declineCommitment'] as const) {
      expect((await decide(outsider, how, commitment, base)).status, how).toBe(404);
      const own = await decide(outsider, how, commitment, { workspaceId: otherWorkspaceId, itemId: base.itemId });
      expect(own.status, how).toBe(404);
    }
    expect(await collection(base)).toEqual(before);
  });
});

async function memberVersion(email: string): Promise<number> {
  const members = await team.admin.call('listMembers', { params: { workspaceId: team.workspaceId }, query: { limit: 200 } });
  const member = members.body.members.find((found) => found.email === email);
  if (!member) throw new Error(`${email} is not a member`);
  return member.version;
}

describe('who may decide', () => {
  it('never lets the recorder approve their own commitment, even once promoted to operations manager', async () => {
    const base = await agreedItem('AA-PROMOTED');
    const email = uniqueEmail('pia-rep');
    await team.admin.call('inviteMember', {
      params: { workspaceId: team.workspaceId },
      body: { email, name: 'pia-rep', function: 'sales', role: 'rep' },
    });
    const rep = await signInAs(api, email, 'pia-rep');
    const commitment = await flexCommitment(base, 'SO-promoted', rep);
    const member = await memberVersion(email);
    const promoted = await team.admin.call('updateMember', {
      params: { workspaceId: team.workspaceId, email },
      body: { function: 'operations', role: 'manager', expectedVersion: member },
    });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    const before = await collection(base);
    for (const how of ['approveCommitment', 'declineCommitment'] as const) {
      const answer = await decide(rep, how, commitment, base);
      expect(answer.status, how).toBe(403);
      expect(answer.body.message).toMatch(/recorded/);
    }
    expect(await collection(base)).toEqual(before);
  });

  it('refuses an approver removed from the workspace with 404', async () => {
    const base = await agreedItem('AA-REMOVED');
    const email = uniqueEmail('ron-ops');
    await team.admin.call('inviteMember', {
      params: { workspaceId: team.workspaceId },
      body: { email, name: 'ron-ops', function: 'operations', role: 'manager' },
    });
    const ron = await signInAs(api, email, 'ron-ops');
    const commitment = await flexCommitment(base, 'SO-removed');
    const removed = await team.admin.call('removeMember', {
      params: { workspaceId: team.workspaceId, email },
      query: { expectedVersion: await memberVersion(email) },
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const before = await collection(base);
    expect((await decide(ron, 'approveCommitment', commitment, base)).status).toBe(404);
    expect(await collection(base)).toEqual(before);
  });

  it('gives a machine caller no way to decide: no key names the route, and the machine path has no such route', async () => {
    const base = await agreedItem('AA-MACHINE');
    const commitment = await flexCommitment(base, 'SO-machine');
    const refused = await team.admin.call('createApiKey', {
      params: { workspaceId: team.workspaceId },
      body: { name: 'Approver', routes: ['approveCommitment'] },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/body\.routes/);
    const key = await team.admin.call('createApiKey', {
      params: { workspaceId: team.workspaceId },
      body: { name: 'CRM', routes: ['recordCommitment'] },
    });
    const before = await collection(base);
    const path = `/api/machine/workspaces/${base.workspaceId}/catalogue/${base.itemId}/commitments/${commitment.id}/approve`;
    const answer = await api.raw('POST', path, {
      body: JSON.stringify({ expectedVersion: commitment.version }),
      headers: { 'content-type': 'application/json', [apiKeyHeader]: key.body.apiKey },
    });
    expect([403, 404]).toContain(answer.status);
    // The key on the people's route: keys are verified only on the machine routes.
    const people = await api.raw('POST', path.replace('/api/machine', '/api'), {
      body: JSON.stringify({ expectedVersion: commitment.version }),
      headers: { 'content-type': 'application/json', [apiKeyHeader]: key.body.apiKey },
    });
    expect(people.status).toBe(401);
    expect(await collection(base)).toEqual(before);
  });
});
