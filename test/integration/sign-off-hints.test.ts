import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionOutcome } from '#contract/meetings/meetings';
import { createCycle, createItem } from '#scripts/fixtures/planning';
import { pumpTerms } from '#scripts/fixtures/terms';
import { startApi, type TestApi, tripsOf } from '#test/support/api';
import { elsewhere, expectOk, nextCode, runningMeeting } from '#test/support/meeting-hints';
import { type MeetingTeam, meetingTeam } from '#test/support/meetings';
import { partitionItems } from '#test/support/snapshot';

/**
 * A sign-off confirmation takes the meeting's cycle and the proposal's item,
 * which key the threshold it signs, as hints: named right, the threshold is
 * read beside the decision; named wrong, the proposal's own threshold is
 * signed all the same and no other is read into the write.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('confirmSignOff with the meeting’s cycle and the proposal’s item', () => {
  /** A pending threshold v1 of a new item in each of `cycles` (the first is the meeting's). */
  async function pendingItem(team: MeetingTeam, cycles: string[]) {
    const item = await createItem(team, nextCode('CNF'));
    for (const cycleId of cycles) {
      await expectOk(
        team.sales.call('saveThreshold', {
          params: { workspaceId: team.workspaceId, cycleId, itemId: item.id },
          body: { terms: pumpTerms, expectedVersion: null },
        }),
      );
    }
    return item.id as string;
  }

  /** A decision of the running meeting proposing that sales and operations sign the item's v1 off. */
  async function proposal(team: MeetingTeam, meeting: { meetingId: string; entryId: string }, itemId: string) {
    return expectOk(
      team.admin.call('recordOutcome', {
        params: { workspaceId: team.workspaceId, meetingId: meeting.meetingId },
        body: {
          kind: 'decision',
          agendaItemId: meeting.entryId,
          text: 'Agree the threshold',
          effects: [
            { kind: 'thresholdSignOff', thresholdId: itemId, thresholdVersion: 1, signers: [team.sales.email, team.ops.email] },
          ],
        },
      }),
      201,
    );
  }

  /** The head of an item's threshold in a cycle as stored. */
  async function head(team: MeetingTeam, cycleId: string, itemId: string) {
    return (await expectOk(team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId } })))
      .threshold;
  }

  /** What a confirmation answers, without what differs by decision (ids, text and times). */
  const confirmed = (decision: DecisionOutcome) => ({
    version: decision.version,
    effects: decision.effects.map((effect) =>
      effect.kind === 'thresholdSignOff'
        ? { ...effect, thresholdId: '', confirmedBy: (effect.confirmedBy ?? []).map(({ at: _at, ...who }) => who) }
        : effect,
    ),
  });

  it('reads the threshold beside the decision with both named: two round trips, three without, the same answer', async () => {
    const team = await meetingTeam(api, 'Confirm Hints');
    const [hintedItem, plainItem] = [await pendingItem(team, [team.cycleId]), await pendingItem(team, [team.cycleId])];
    const meeting = await runningMeeting(team, team.cycleId, '2027-01-12T09:00:00Z');
    const params = { workspaceId: team.workspaceId, meetingId: meeting.meetingId };
    const [first, second] = [await proposal(team, meeting, hintedItem), await proposal(team, meeting, plainItem)];

    const hinted = await team.sales.call('confirmSignOff', {
      params: { ...params, outcomeId: first.id },
      query: { cycleId: team.cycleId, itemId: hintedItem },
    });
    const plain = await team.sales.call('confirmSignOff', { params: { ...params, outcomeId: second.id }, query: {} });
    expect(hinted.status, JSON.stringify(hinted.body)).toBe(200);
    expect(plain.status, JSON.stringify(plain.body)).toBe(200);
    expect(tripsOf(hinted)).toBe(2);
    expect(tripsOf(plain)).toBe(3);
    expect(confirmed(hinted.body)).toEqual(confirmed(plain.body));
    expect(confirmed(hinted.body).effects).toEqual([
      expect.objectContaining({
        confirmedBy: [expect.objectContaining({ email: team.sales.email, function: 'sales', role: 'manager' })],
      }),
    ]);
    for (const itemId of [hintedItem, plainItem]) {
      expect((await head(team, team.cycleId, itemId))?.signOffs).toEqual([
        expect.objectContaining({ email: team.sales.email, function: 'sales' }),
      ]);
    }
  });

  it('signs the proposal’s own threshold whatever cycle and item the hint names, touching no other', async () => {
    const team = await meetingTeam(api, 'Confirm Wrong Hints');
    const other = await createCycle(team, 'FY2028 budget');
    // `decoy` has a pending threshold in both cycles; `target` in the meeting's cycle.
    const decoy = await pendingItem(team, [team.cycleId, other.id]);
    const target = await pendingItem(team, [team.cycleId]);
    const away = await elsewhere(team.sales);
    const meeting = await runningMeeting(team, team.cycleId, '2027-01-12T09:00:00Z');
    const params = { workspaceId: team.workspaceId, meetingId: meeting.meetingId };
    const decision = await proposal(team, meeting, target);
    const decoys = async () => ({
      here: await head(team, team.cycleId, decoy),
      there: await head(team, other.id, decoy),
      away: await partitionItems(away.workspaceId),
    });
    const before = await decoys();

    // Another item of the same cycle; the same item in another cycle; another workspace's; ids nobody has.
    const signed = await team.sales.call('confirmSignOff', {
      params: { ...params, outcomeId: decision.id },
      query: { cycleId: team.cycleId, itemId: decoy },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const agreed = await team.ops.call('confirmSignOff', {
      params: { ...params, outcomeId: decision.id },
      query: { cycleId: other.id, itemId: target },
    });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
    const signedTarget = await head(team, team.cycleId, target);
    expect(signedTarget?.signOffs.map((signOff) => signOff.email).sort()).toEqual([team.sales.email, team.ops.email].sort());
    expect(signedTarget?.agreed?.version).toBe(1);
    expect(await decoys()).toEqual(before);

    // Refusals read the same with a wrong hint as without one, and write nothing.
    const afterSigning = await partitionItems(team.workspaceId, undefined, undefined, `#MEETING#${meeting.meetingId}`);
    const again = (query: { cycleId?: string; itemId?: string }) =>
      team.sales.call('confirmSignOff', { params: { ...params, outcomeId: decision.id }, query });
    const plainRefusal = await again({});
    expect(plainRefusal.status).toBe(409);
    for (const query of [
      { cycleId: away.cycleId, itemId: away.itemId },
      { cycleId: randomUUID(), itemId: randomUUID() },
      { cycleId: team.cycleId, itemId: target },
    ]) {
      const refused = await again(query);
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual(plainRefusal.body);
    }
    const unknown = { ...params, outcomeId: randomUUID() };
    const missing = await team.sales.call('confirmSignOff', { params: unknown, query: {} });
    const missingHinted = await team.sales.call('confirmSignOff', {
      params: unknown,
      query: { cycleId: team.cycleId, itemId: target },
    });
    expect(missing.status).toBe(404);
    expect(missingHinted.body).toEqual(missing.body);
    expect(await partitionItems(team.workspaceId, undefined, undefined, `#MEETING#${meeting.meetingId}`)).toEqual(afterSigning);
    expect(await decoys()).toEqual(before);
  });

  it('refuses a cycle without an item, or an id that is not one, naming the field', async () => {
    const team = await meetingTeam(api, 'Confirm Bad Hints');
    const params = { workspaceId: team.workspaceId, meetingId: randomUUID(), outcomeId: randomUUID() };
    const alone = await team.sales.callRaw('confirmSignOff', { params, query: { cycleId: team.cycleId } });
    expect(alone.status).toBe(400);
    expect(JSON.stringify(alone.body)).toContain('query.itemId');
    const bad = await team.sales.callRaw('confirmSignOff', { params, query: { cycleId: team.cycleId, itemId: 'CP-050' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('query.itemId');
  });
});
