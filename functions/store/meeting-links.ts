import type { Attendee, DecisionEffect, DecisionOutcome, Meeting } from '../domain/meetings';
import type { Caller } from '../domain/views';
import { BadRequest } from '../lib/errors';
import type { TransactItem } from './meetings';

/**
 * Linked writes of meeting decisions. A decision can change an issue's
 * status or record the sign-offs of a threshold version; those records
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
 * The registered handlers. Issue tracking registers `issueStatus` (an
 * Update of the issue item conditional on its version, plus its decision
 * reference) and threshold sign-off registers `thresholdSignOff` (a sign-off
 * item per signer and the version's agreement), each from its own store
 * module, by calling {@link registerLinkHandler} at module load.
 */
const registry: Registry = {};

const unavailable: Record<DecisionEffect['kind'], string> = {
  issueStatus: 'Decisions cannot change issue statuses in this workspace yet',
  thresholdSignOff: 'Decisions cannot sign threshold versions off in this workspace yet',
};

export function registerLinkHandler<K extends DecisionEffect['kind']>(kind: K, handler: LinkHandler<K>): void {
  (registry as Record<string, unknown>)[kind] = handler;
}

/** Removes a handler; for tests that register their own. */
export function unregisterLinkHandler(kind: DecisionEffect['kind']): void {
  delete registry[kind];
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
