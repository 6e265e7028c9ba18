import { randomUUID } from 'node:crypto';
import type { Commitment } from '#contract/catalogue/commitments';
import { addKeptCounts, emptyKeptCounts, type KeptCounts, keptDelta, keptScopesOf } from '#contract/catalogue/kept-rate';
import type { Caller } from '#contract/views';
import { addDays, weekOf } from '#contract/working-days';
import { keptCounterAdd } from '#functions/catalogue/deliveries-entities';
import { commitmentEntity } from '#functions/catalogue/entities';
import { putInBatches } from '#functions/table/batch-write';
import { transactWrite } from '#functions/table/transactions';

/**
 * Delivered commitments for the kept-rate scale figure: the commitments are
 * batch-written with the catalogue's entity, and each week's counters get
 * the sum of their outcomes through the same counter update a delivery
 * makes, so the counters equal what `count` deliveries one by one would
 * have left (every 4th late, every 5th partial, every 7th missed).
 */
export async function generateDeliveredCommitments(
  target: { workspaceId: string; itemId: string; itemCode: string; cycleId: string },
  actor: Caller,
  count: number,
): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const now = new Date().toISOString();
  const byWeek = new Map<string, KeptCounts>();
  const records: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const promisedDate = addDays(today, -7 - (n % 180));
    const missed = n % 7 === 0;
    const partial = !missed && n % 5 === 0;
    const late = !missed && n % 4 === 0;
    const commitment: Commitment = {
      id: randomUUID(),
      workspaceId: target.workspaceId,
      itemId: target.itemId,
      itemCode: target.itemCode,
      reference: `GEN-D-${n}`,
      customer: null,
      quantity: 10,
      requestedDate: promisedDate,
      promisedDate,
      orderValue: null,
      answer: 'standard',
      flexCost: null,
      thresholdCycleId: target.cycleId,
      thresholdVersion: 1,
      allocation: [],
      leadTimeIssueId: null,
      occurrenceId: null,
      status: missed ? 'missed' : partial ? 'approved' : 'delivered',
      recordedBy: actor.email,
      recordedByName: actor.name,
      createdAt: now,
      deliveredQuantity: missed ? 0 : partial ? 5 : 10,
      deliveredAt: missed ? null : late ? addDays(promisedDate, 2) : promisedDate,
      missedReason: missed ? 'capacity' : null,
      decidedBy: null,
      decidedByName: null,
      decidedAt: null,
      decisionReason: null,
      timeToDecisionMs: null,
      cancelledBy: null,
      cancelledAt: null,
      updatedAt: now,
      version: 2,
    };
    records.push(commitmentEntity.item(commitment));
    const week = weekOf(promisedDate);
    const delta = keptDelta({ missed, inFull: !partial, onTimeToPromised: !late, onTimeToRequested: !late });
    byWeek.set(week, addKeptCounts(byWeek.get(week) ?? emptyKeptCounts(), delta));
  }
  await putInBatches(records);
  const scopes = keptScopesOf({
    workspaceId: target.workspaceId,
    itemId: target.itemId,
    recordedBy: actor.email,
    answer: 'standard',
    thresholdCycleId: target.cycleId,
  });
  for (const [week, counts] of byWeek) {
    await transactWrite(scopes.map(({ scope, scopeId }) => keptCounterAdd(target.workspaceId, scope, scopeId, week, counts)));
  }
}
