import type { DecisionOutcome, Meeting } from '#contract/meetings/meetings';
import type { Caller } from '#contract/views';
import { decisionStatusWrites } from '#functions/misalignment/misalignment';
import type { TransactItem } from '#functions/table/transactions';
import { signOffProposalCheck } from '#functions/thresholds/thresholds';

/** What a decision's effects are written with. */
export interface DecisionContext {
  workspaceId: string;
  meeting: Meeting;
  decision: DecisionOutcome;
  actor: Pick<Caller, 'email' | 'name'>;
  now: string;
}

/**
 * The writes of a decision's effects in the records of other areas, from
 * those areas' own functions, in the order of the effects. They go into the
 * decision's one transaction, so when one of their conditions fails (the
 * issue moved on, the version was already agreed) nothing is written at all.
 *
 * - `issueStatus`: issue tracking moves the issue, conditional on its version,
 *   and records the decision on it, so the link works both ways.
 * - `thresholdSignOff`: the decision only proposes the sign-off, so threshold
 *   sign-off checks that the proposed version is still the latest; each named
 *   signer confirms it later (service-sign-offs.ts).
 */
export async function decisionEffectWrites(context: DecisionContext): Promise<TransactItem[]> {
  const { workspaceId, meeting, decision } = context;
  const items: TransactItem[] = [];
  for (const effect of decision.effects) {
    if (effect.kind === 'issueStatus') {
      items.push(
        ...(await decisionStatusWrites({
          workspaceId,
          issueId: effect.issueId,
          status: effect.status,
          meetingId: meeting.id,
          decisionId: decision.id,
          actor: context.actor,
          now: context.now,
        })),
      );
    } else {
      items.push(
        ...(await signOffProposalCheck({
          workspaceId,
          cycleId: meeting.cycleId,
          itemId: effect.thresholdId,
          version: effect.thresholdVersion,
        })),
      );
    }
  }
  return items;
}
