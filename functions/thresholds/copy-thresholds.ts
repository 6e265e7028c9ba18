import type { BudgetCycle } from '#contract/thresholds/cycles';
import { diffTerms, type ThresholdHead, type ThresholdVersion } from '#contract/thresholds/thresholds';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { type TransactItem, transactWrite } from '#functions/table/transactions';
import { allCycleThresholds, putHead, putNewVersion } from './entities';

/** Chunk size of copied thresholds per transaction: two writes each plus one audit event stays under 100. */
const copyChunk = 40;

/** Copies every threshold agreed in `source` into `target` as version 1 proposals, linked to their origin. */
export async function copyAgreedThresholds(
  workspaceId: string,
  source: BudgetCycle,
  target: BudgetCycle,
  actor: Caller,
  now: string,
): Promise<number> {
  const heads = await allCycleThresholds(workspaceId, source.id);
  const agreed = heads.flatMap((head) => (head.agreed ? [{ head, agreed: head.agreed }] : []));
  for (let start = 0; start < agreed.length; start += copyChunk) {
    const chunk = agreed.slice(start, start + copyChunk);
    const writes: TransactItem[] = [];
    for (const { head, agreed: version } of chunk) {
      const first: ThresholdVersion = {
        workspaceId,
        itemId: head.itemId,
        cycleId: target.id,
        version: 1,
        terms: version.terms,
        changes: diffTerms(null, version.terms),
        origin: { cycleId: source.id, cycleName: source.name, version: version.version },
        createdBy: actor.email,
        createdByName: actor.name,
        createdAt: now,
      };
      const proposal: ThresholdHead = {
        workspaceId,
        itemId: head.itemId,
        itemCode: head.itemCode,
        itemName: head.itemName,
        cycleId: target.id,
        latest: first,
        signOffs: [],
        agreed: null,
        agreedSignOffs: [],
        updatedAt: now,
        version: 1,
        revision: 1,
      };
      writes.push(putHead(proposal, undefined), putNewVersion(first));
    }
    writes.push(
      auditPut({
        workspaceId,
        actor,
        action: 'threshold.copiedFromCycle',
        entity: 'cycle',
        entityId: target.id,
        after: { from: source.id, items: chunk.map(({ head }) => head.itemId) },
        at: now,
      }),
    );
    await transactWrite(writes);
  }
  return agreed.length;
}
