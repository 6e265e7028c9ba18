import { randomUUID } from 'node:crypto';
import type { Commitment, CommitmentStatus } from '#contract/catalogue/commitments';
import { todayIn } from '#contract/dates';
import { addDays } from '#contract/working-days';
import { agree, createCycle, createItem, type PlanningTeam } from './planning';
import { writeCommitment } from './table';

/** Today as the API sees it (test workspaces keep the default time zone, UTC). */
export const today = () => todayIn('UTC', new Date().toISOString());
export const daysFromToday = (days: number) => addDays(today(), days);

export async function agreedItem(team: PlanningTeam, code: string) {
  const item = await createItem(team, code);
  const cycle = await createCycle(team);
  await agree(team, cycle.id, item.id);
  return { item, cycle, base: { workspaceId: team.workspaceId, itemId: item.id } };
}

/**
 * A commitment written through the catalogue's own entity functions, as
 * recording one writes it: the API refuses a promised date in the past, and
 * late deliveries need one.
 */
export async function seedCommitment(
  team: PlanningTeam,
  on: { item: { id: string; code: string }; cycle: { id: string } },
  promise: { reference?: string; quantity?: number; promisedDate: string; requestedDate?: string; status?: CommitmentStatus },
): Promise<Commitment> {
  const now = new Date().toISOString();
  const commitment: Commitment = {
    id: randomUUID(),
    workspaceId: team.workspaceId,
    itemId: on.item.id,
    itemCode: on.item.code,
    reference: promise.reference ?? `SO-${randomUUID().slice(0, 8)}`,
    customer: 'Nordwasser AS',
    quantity: promise.quantity ?? 10,
    requestedDate: promise.requestedDate ?? promise.promisedDate,
    promisedDate: promise.promisedDate,
    orderValue: null,
    answer: 'standard',
    flexCost: null,
    thresholdCycleId: on.cycle.id,
    thresholdVersion: 1,
    // Written beside the capacity buckets, not through them: it took no capacity, so cancelling gives none back.
    allocation: [],
    leadTimeIssueId: null,
    occurrenceId: null,
    status: promise.status ?? 'approved',
    recordedBy: team.rep.email,
    recordedByName: 'rita-rep',
    createdAt: now,
    deliveredQuantity: 0,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    decisionReason: null,
    timeToDecisionMs: null,
    cancelledBy: null,
    cancelledAt: null,
    updatedAt: now,
    version: 1,
  };
  await writeCommitment(commitment);
  return commitment;
}
