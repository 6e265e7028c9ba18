import { type PlanBesideCapacity, planBesideCapacity } from '#contract/plan/load';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { refuse } from '#contract/refusal';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import { frozenCycleRefusal, staleEditRefusal, thresholdEditRefusal } from '#contract/thresholds/policies';
import { diffTerms, type ThresholdHead, type ThresholdTerms, type ThresholdVersion } from '#contract/thresholds/thresholds';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { readThreshold, refuseIf, requireItem } from './context';
import { getThresholdHead, putHead, putNewVersion } from './entities';

/*
 * Editing a threshold: what the editor shows and saving a new version. The
 * sign-off lives in sign-off.ts; its names are exported here too, where the
 * other areas have always found them.
 */

export { getThresholdHead, listCycleThresholds, listThresholdVersions } from './entities';
export {
  confirmSignOff,
  type Signer,
  signerOf,
  signOffProposalCheck,
  signOffThreshold,
  type ThresholdAhead,
  thresholdAhead,
} from './sign-off';

/**
 * What the threshold editor shows: the cycle, the item, its threshold in the
 * cycle (null before the first version) and the item's plan in the cycle
 * beside the capacity fields, so capacity is set knowing the plan. The plan
 * comes with the threshold, in the same BatchGetItem.
 */
export async function getThresholdView(input: { workspaceId: string; cycleId: string; itemId: string }): Promise<{
  cycle: BudgetCycle;
  item: ReturnType<typeof requireItem>;
  threshold: ThresholdHead | null;
  plan: PlanBesideCapacity;
}> {
  const { cycle, item, head, plan } = await readThreshold(input, { published: false, plan: true });
  const volumes = plan?.lines.get(input.itemId)?.volumes ?? {};
  return {
    cycle,
    item: requireItem(item),
    threshold: head ?? null,
    plan: planBesideCapacity(volumes, plan?.head?.granularity ?? 'month', cycle, plan?.head?.version ?? null),
  };
}

/**
 * The writes of an item's next threshold version: the version, the head
 * moved on to it with no sign-offs (an edit starts the dual sign-off over;
 * the agreed version stays what reps see), and its audit event. The head is
 * written on the whole head as read (part `thresholdHead`): a sign-off or an
 * edit landing meanwhile fails it.
 */
export function nextThresholdVersion(
  input: {
    workspaceId: string;
    cycle: BudgetCycle;
    item: PortfolioItem;
    head: ThresholdHead | undefined;
    terms: ThresholdTerms;
  },
  actor: Caller,
  now: string,
): { after: ThresholdHead; writes: TransactItem[] } {
  const { workspaceId, cycle, item, head } = input;
  const number = (head?.version ?? 0) + 1;
  const version: ThresholdVersion = {
    workspaceId,
    itemId: item.id,
    cycleId: cycle.id,
    version: number,
    terms: input.terms,
    changes: diffTerms(head?.latest.terms ?? null, input.terms),
    origin: null,
    createdBy: actor.email,
    createdByName: actor.name,
    createdAt: now,
  };
  const after: ThresholdHead = {
    workspaceId,
    itemId: item.id,
    itemCode: item.code,
    itemName: item.name,
    cycleId: cycle.id,
    latest: version,
    signOffs: [],
    agreed: head?.agreed ?? null,
    agreedSignOffs: head?.agreedSignOffs ?? [],
    updatedAt: now,
    version: number,
    revision: (head?.revision ?? 0) + 1,
  };
  const writes = [
    putHead(after, head),
    putNewVersion(version),
    auditPut({
      workspaceId,
      actor,
      action: 'threshold.versionSaved',
      entity: 'threshold',
      entityId: `${item.id}#${cycle.id}`,
      before: head?.latest ?? null,
      after: version,
      at: now,
    }),
  ];
  return { after, writes };
}

/**
 * Saves a new version of an item's threshold in a cycle. The edit is based
 * on `expectedVersion` (null for the first); a stale base gets 409 with the
 * current threshold. The new version starts without sign-offs.
 */
export async function saveThreshold(
  input: { workspaceId: string; cycleId: string; itemId: string; terms: ThresholdTerms; expectedVersion: number | null },
  actor: Caller,
  now: string,
): Promise<ThresholdHead> {
  const { workspaceId, itemId, expectedVersion } = input;
  const context = await readThreshold(input, { published: false });
  const { cycle, head } = context;
  refuseIf(frozenCycleRefusal(cycle));
  const item = requireItem(context.item);
  refuseIf(thresholdEditRefusal({ cycle, item, head, expectedVersion }));
  const changes = diffTerms(head?.latest.terms ?? null, input.terms);
  if (head && changes.length === 0) throw refuse.invalid('Nothing changed: the terms equal the latest version');
  const { after, writes } = nextThresholdVersion({ workspaceId, cycle, item, head, terms: input.terms }, actor, now);
  try {
    await transactWrite(writes);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && (error.part === 'thresholdHead' || error.part === 'thresholdVersion')) {
      refuseIf(staleEditRefusal(expectedVersion, await getThresholdHead(workspaceId, itemId, cycle.id)));
    }
    throw error;
  }
  return after;
}
