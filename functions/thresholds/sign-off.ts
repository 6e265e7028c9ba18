import { refuse } from '#contract/refusal';
import { frozenCycleRefusal, signableVersionRefusal, signOffRefusal } from '#contract/thresholds/policies';
import {
  type AgreedThreshold,
  isAgreed,
  isSignOffFunction,
  isSignOffRole,
  type SignOff,
  samePerson,
  type ThresholdHead,
} from '#contract/thresholds/thresholds';
import type { Caller, MemberView } from '#contract/views';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';
import { agreedOnItemUpdate } from '#functions/portfolio/entities';
import { auditPut } from '#functions/table/audit-trail';
import { named, partOf, type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { membershipUnchanged } from '#functions/workspaces/workspaces';
import { readThreshold, refuseIf, requireItem } from './context';
import { getThresholdHead, headAtVersion, headStill, putHead, type ThresholdContext } from './entities';
import { putPublication } from './entities-published';

/** Someone signing a threshold version: who they are, and their membership as it was read for this request. */
export interface Signer {
  workspaceId: string;
  email: string;
  sub?: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
}

/** The signer behind a request: the caller's identity with their membership in the workspace. */
export const signerOf = (member: MemberView, caller: Caller): Signer => ({
  workspaceId: member.workspaceId,
  email: member.email,
  sub: caller.sub,
  name: caller.name || member.name,
  function: member.function,
  role: member.role,
});

type OpenContext = ThresholdContext & { cycle: NonNullable<ThresholdContext['cycle']> };

/** The signer's membership must be as read: part `signerMembership`. */
const membershipAsRead = (signer: Signer) => named('signerMembership', membershipUnchanged(signer));

/**
 * The sign-off rule applied to one signer, and the writes that record it:
 * the signature (with the signer's function and role at this moment), and
 * with both sales and operations signed by two people, the agreement and its
 * publication on the catalogue, all in one transaction. The head's Put is
 * conditional on its revision as read and the membership on being unchanged,
 * so neither an edit, another signature nor a change of the signer's
 * function can interleave. `via` records the meeting decision the signer
 * confirmed.
 */
function signOffWrites(input: {
  context: OpenContext;
  version: number;
  signer: Signer;
  now: string;
  via?: { meetingId: string; decisionId: string };
}): { after: ThresholdHead; writes: TransactItem[] } {
  const { context, signer, now } = input;
  const { cycle, head } = context;
  refuseIf(frozenCycleRefusal(cycle));
  if (!head) throw refuse.notFound('This item has no threshold in this cycle');
  refuseIf(signOffRefusal(head, input.version, signer));
  const { function: fn, role } = signer;
  if (!isSignOffFunction(fn) || !isSignOffRole(role)) throw new Error('The sign-off policy admitted a non-signing member');
  const signOff: SignOff = {
    email: signer.email,
    ...(signer.sub ? { sub: signer.sub } : {}),
    name: signer.name,
    function: fn,
    role,
    at: now,
    ...(input.via ? { via: input.via } : {}),
  };
  const signOffs = [...head.signOffs, signOff];
  const agreedNow = isAgreed(signOffs);
  const after: ThresholdHead = {
    ...head,
    signOffs,
    agreed: agreedNow ? head.latest : head.agreed,
    agreedSignOffs: agreedNow ? signOffs : head.agreedSignOffs,
    updatedAt: now,
    revision: head.revision + 1,
  };
  const writes: TransactItem[] = [
    putHead(after, head),
    membershipAsRead(signer),
    auditPut({
      workspaceId: signer.workspaceId,
      actor: signer,
      action: agreedNow ? 'threshold.agreed' : 'threshold.signedOff',
      entity: 'threshold',
      entityId: `${head.itemId}#${cycle.id}`,
      before: { version: head.version, revision: head.revision, signOffs: head.signOffs },
      after: { version: head.version, revision: after.revision, signOff, signOffs, agreed: agreedNow },
      at: now,
    }),
  ];
  if (agreedNow) writes.push(...publishAgreed(signer.workspaceId, context, after, now));
  return { after, writes };
}

/**
 * The writes that make an agreed version the one reps see: the agreed item
 * the promise check reads, and its copy on the portfolio item for the
 * catalogue, built from the item and the published threshold read with the
 * head (the Put is conditional on the publication as read). A cycle that
 * starts before the one already published does not replace it, so
 * re-agreeing an old cycle never hides a newer agreement.
 */
function publishAgreed(workspaceId: string, context: OpenContext, head: ThresholdHead, now: string): TransactItem[] {
  const { cycle, published } = context;
  const item = requireItem(context.item);
  if (published && published.agreed.cycleStartDate > cycle.startDate) return [];
  const agreed: AgreedThreshold = {
    itemId: item.id,
    itemCode: item.code,
    itemName: item.name,
    kind: item.kind,
    unit: item.unit,
    cycleId: cycle.id,
    cycleName: cycle.name,
    cycleStartDate: cycle.startDate,
    cycleEndDate: cycle.endDate,
    holidays: cycle.holidays,
    version: head.version,
    terms: head.latest.terms,
    signOffs: head.signOffs,
    agreedAt: now,
  };
  return [
    putPublication(workspaceId, agreed, item.archived, published),
    agreedOnItemUpdate(workspaceId, head.itemId, agreed, now),
  ];
}

/** How many times a sign-off is tried again when the head moved under it: the rule is applied afresh each time. */
const signOffAttempts = 4;

/**
 * Runs a sign-off transaction built from a fresh read. When the head or the
 * publication moved meanwhile (another signature, an edit), it reads again
 * and applies the rule to what is there now: a version edited meanwhile is
 * refused as superseded, a second signature of the same function as taken.
 * Failures of parts `write` adds (a meeting's) go back to its caller.
 */
async function withFreshHead<T>(
  input: { workspaceId: string; cycleId: string; itemId: string },
  build: (context: OpenContext) => { writes: TransactItem[]; result: T },
  write: (items: TransactItem[]) => Promise<void> = transactWrite,
  firstRead?: Promise<OpenContext>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const context = attempt === 1 && firstRead ? await firstRead : await readThreshold(input, { published: true });
    const { writes, result } = build(context);
    try {
      await write(writes);
      return result;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed) || !writes.some((item) => partOf(item) === error.part)) throw error;
      if (error.part === 'signerMembership') {
        throw refuse.conflict('Your function or role changed while you signed; check your membership and sign again');
      }
      if (error.part !== 'thresholdHead' && error.part !== 'publishedThreshold') throw error;
      if (attempt >= signOffAttempts) {
        const current = await getThresholdHead(input.workspaceId, input.itemId, input.cycleId);
        throw refuse.conflict('The threshold changed while you signed; check the latest version and sign again', { current });
      }
    }
  }
}

/**
 * Signs off `version` for the signer's function, as the signer (nobody signs
 * for anyone else). With a sales and an operations signature of two people,
 * the version is agreed: it becomes what reps see on the catalogue and what
 * promise checks use, in the same transaction.
 */
export async function signOffThreshold(
  input: { workspaceId: string; cycleId: string; itemId: string; version: number },
  signerToBe: Signer | Promise<Signer>,
  now: string,
): Promise<ThresholdHead> {
  // The threshold is read beside the membership check that names the signer: one round trip for both.
  const firstRead = readThreshold(input, { published: true });
  firstRead.catch(() => undefined);
  const signer = await signerToBe;
  return withFreshHead(
    input,
    (context) => {
      const { after, writes } = signOffWrites({ context, version: input.version, signer, now });
      return { writes, result: after };
    },
    transactWrite,
    firstRead,
  );
}

/**
 * Why a meeting decision cannot propose signing `version` of an item's
 * threshold off, thrown as a refusal; otherwise the ConditionCheck that
 * keeps the version the latest until the decision is written. The proposal
 * signs nothing: each named signer confirms it ({@link confirmSignOff}).
 */
export async function signOffProposalCheck(input: {
  workspaceId: string;
  cycleId: string;
  itemId: string;
  version: number;
}): Promise<TransactItem[]> {
  const { cycle, head } = await readThreshold(input, { published: false });
  refuseIf(frozenCycleRefusal(cycle));
  if (!head) throw refuse.notFound('This item has no threshold in this cycle');
  refuseIf(signableVersionRefusal(head, input.version));
  return [headAtVersion(input.workspaceId, input.itemId, input.cycleId, input.version)];
}

/** A threshold read for a sign-off before its key is confirmed: the cycle and item it was read for, and the read. */
export interface ThresholdAhead {
  cycleId: string;
  itemId: string;
  context: Promise<OpenContext>;
}

/** Starts the read a sign-off confirmation makes first, for the cycle and item the caller names (see {@link confirmSignOff}). */
export function thresholdAhead(input: { workspaceId: string; cycleId: string; itemId: string }): ThresholdAhead {
  const context = readThreshold(input, { published: true });
  // Set aside unawaited when the key turns out to be another: its failure (an unknown cycle) then matters to nobody.
  context.catch(() => undefined);
  return { cycleId: input.cycleId, itemId: input.itemId, context };
}

/**
 * A named signer's confirmation of a sign-off a meeting decision proposed:
 * their own signature under the sign-off rule, marked with the decision,
 * written by `write` together with the decision's record of the
 * confirmation. A signer who has already signed this version for the same
 * function keeps that signature: only the confirmation is recorded (the head
 * must still be as read). `ahead`, a read started before the cycle and item
 * were known, stands for the first read only when it was made for exactly
 * them; otherwise the threshold is read now.
 */
export function confirmSignOff(
  input: { workspaceId: string; cycleId: string; itemId: string; version: number; meetingId: string; decisionId: string },
  signer: Signer,
  now: string,
  write: (thresholdWrites: TransactItem[]) => Promise<void>,
  ahead?: ThresholdAhead,
): Promise<ThresholdHead> {
  const via = { meetingId: input.meetingId, decisionId: input.decisionId };
  const firstRead = ahead?.cycleId === input.cycleId && ahead.itemId === input.itemId ? ahead.context : undefined;
  return withFreshHead(
    input,
    (context) => {
      const head = context.head;
      const standing = head?.signOffs.find((signOff) => samePerson(signOff, signer) && signOff.function === signer.function);
      if (head && standing && head.version === input.version) {
        return { writes: [headStill(head), membershipAsRead(signer)], result: head };
      }
      const { after, writes } = signOffWrites({ context, version: input.version, signer, now, via });
      return { writes, result: after };
    },
    write,
    firstRead,
  );
}
