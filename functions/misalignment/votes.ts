import { votesRefusal } from '#contract/misalignment/policies';
import type { VoteAllocation } from '#contract/misalignment/ranking';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { transactWriteUnderContention } from '#functions/table/contention';
import { TransactionConditionFailed } from '#functions/table/transactions';
import { votesOf, votesWrites } from './entities-ranking';
import { getScoringModelItem } from './entities-scoring';

type Actor = Pick<Caller, 'email' | 'name'>;

/**
 * Replaces the caller's votes in a cycle. Refused once the cycle's ranking is
 * frozen, above the workspace's vote limit, or for issues that do not exist;
 * all checked in the one transaction that writes the votes.
 */
export async function castVotes(input: {
  workspaceId: string;
  cycleId: string;
  allocations: VoteAllocation[];
  expectedVersion: number;
  actor: Actor;
  now: string;
}): Promise<{ allocations: VoteAllocation[]; version: number }> {
  const { workspaceId, cycleId, actor, now } = input;
  const allocations = input.allocations.filter((allocation) => allocation.votes > 0);
  const model = await getScoringModelItem(workspaceId);
  const refusal = votesRefusal(allocations, model.votesPerManager);
  if (refusal) throw new Refused(refusal);
  const version = input.expectedVersion + 1;
  const votes = { workspaceId, cycleId, email: actor.email, name: actor.name, allocations, updatedAt: now, version };
  try {
    await transactWriteUnderContention([
      ...votesWrites(votes, input.expectedVersion),
      auditPut({
        workspaceId,
        actor,
        action: 'votes.cast',
        entity: 'cycleVotes',
        entityId: `${cycleId}/${actor.email}`,
        after: { cycleId, allocations },
        at: now,
      }),
    ]);
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    if (error.part === 'cycle') throw refuse.notFound(`Budget cycle ${cycleId} not found`);
    if (error.part === 'freeze') throw refuse.conflict(`The ranking of cycle ${cycleId} is frozen; votes can no longer change`);
    if (error.part === 'votes') {
      throw refuse.conflict('Your votes changed since you loaded them', {
        current: error.current ? votesOf(error.current) : undefined,
      });
    }
    if (error.part?.startsWith('vote:')) {
      const issueId = error.part.slice('vote:'.length);
      throw refuse.invalid(`issue ${issueId} does not exist or is no longer open to votes`, 'body.allocations');
    }
    throw error;
  }
  return { allocations, version };
}
