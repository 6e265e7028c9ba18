import type { Attendee, DecisionEffect, DecisionOutcome, Meeting } from '#contract/meetings/meetings';
import type { Caller } from '#contract/views';
import { BadRequest } from '#functions/kernel/errors';
import { decisionStatusWrites } from '#functions/misalignment/misalignment';
import { signOffProposalCheck } from '#functions/thresholds/thresholds';
import type { TransactItem } from './meetings';

/**
 * Linked writes of meeting decisions. A decision can change an issue's
 * status or propose the sign-offs of a threshold version; those records
 * belong to other areas, so each kind of effect has a link handler that
 * returns the transaction items of its write. The decision, the meeting's
 * revision, the audit event and every linked write go into ONE transaction:
 * when a linked write's condition fails (the issue moved on, the version was
 * already agreed), nothing is written at all.
 *
 * Each handler should also point its record back at the decision
 * (`context.decision.id`, `context.meeting.id`), so the link works both ways.
 */
export interface LinkContext {
  workspaceId: string;
  meeting: Meeting;
  decision: DecisionOutcome;
  attendees: Attendee[];
  actor: Pick<Caller, 'email' | 'name'>;
  now: string;
}

export type LinkHandler<K extends DecisionEffect['kind'] = DecisionEffect['kind']> = (
  effect: Extract<DecisionEffect, { kind: K }>,
  context: LinkContext,
) => Promise<TransactItem[]> | TransactItem[];

type Registry = { [K in DecisionEffect['kind']]?: LinkHandler<K> };

/**
 * The link handlers, by kind of effect. They are listed here, imported from
 * their own store modules, rather than registered as a side effect elsewhere,
 * so the bundle of the record-outcome Lambda always contains them:
 * `issueStatus` comes from issue tracking (an Update of the issue item
 * conditional on its version, with the decision reference) and
 * `thresholdSignOff` from threshold sign-off (a check that the proposed
 * version is still the latest; the signers confirm it later). A kind without a handler is refused with 400.
 * {@link setLinkHandler} replaces one, for tests.
 */
const registry: Registry = {
  issueStatus: (effect, context) =>
    decisionStatusWrites({
      workspaceId: context.workspaceId,
      issueId: effect.issueId,
      status: effect.status,
      meetingId: context.meeting.id,
      decisionId: context.decision.id,
      actor: context.actor,
      now: context.now,
    }),
  // A decision only proposes a sign-off: each named signer confirms it themselves (meeting-sign-offs.ts).
  thresholdSignOff: (effect, context) =>
    signOffProposalCheck({
      workspaceId: context.workspaceId,
      cycleId: context.meeting.cycleId,
      itemId: effect.thresholdId,
      version: effect.thresholdVersion,
    }),
};

const unavailable: Record<DecisionEffect['kind'], string> = {
  issueStatus: 'Decisions cannot change issue statuses in this workspace yet',
  thresholdSignOff: 'Decisions cannot sign threshold versions off in this workspace yet',
};

/**
 * Installs (or, with `undefined`, removes) the handler of one kind of effect
 * and returns how to put the previous one back; tests use it to inject a
 * linked write whose condition fails.
 */
export function setLinkHandler<K extends DecisionEffect['kind']>(kind: K, handler: LinkHandler<K> | undefined): () => void {
  const previous = registry[kind];
  const table = registry as Record<string, unknown>;
  if (handler) table[kind] = handler;
  else delete table[kind];
  return () => {
    if (previous) table[kind] = previous;
    else delete table[kind];
  };
}

/** The handler in use for one kind of effect; tests wrap the real one to inject a failure after it. */
export function getLinkHandler<K extends DecisionEffect['kind']>(kind: K): LinkHandler<K> | undefined {
  return registry[kind] as LinkHandler<K> | undefined;
}

/** The transaction items of every effect of a decision, in order; 400 when an effect has no handler. */
export async function linkedWrites(context: LinkContext): Promise<TransactItem[]> {
  const items: TransactItem[] = [];
  for (const effect of context.decision.effects) {
    const handler = registry[effect.kind] as LinkHandler | undefined;
    if (!handler) throw new BadRequest(unavailable[effect.kind]);
    items.push(...(await handler(effect, context)));
  }
  return items;
}
