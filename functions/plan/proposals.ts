import { workingDaysIn } from '#contract/plan/load';
import { periodsOf } from '#contract/plan/plan';
import { type PlanBacklog, planBacklogProposals } from '#contract/plan/proposals';
import { refuse } from '#contract/refusal';
import { readPlan } from '#functions/plan-record/stored-plan';
import { allCycleThresholds } from '#functions/thresholds/entities';
import { getCycle } from '#functions/thresholds/entities-cycles';

/**
 * The plan's proposals for a meeting's agenda. The cycle, the plan and the
 * cycle's thresholds (which carry each item's code and name) go out
 * together: one round trip, whatever the plan's size.
 */
export async function getPlanBacklogOf(workspaceId: string, cycleId: string): Promise<PlanBacklog> {
  const [cycle, plan, heads] = await Promise.all([
    getCycle(workspaceId, cycleId),
    readPlan(workspaceId, cycleId),
    allCycleThresholds(workspaceId, cycleId),
  ]);
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  const granularity = plan.head?.granularity ?? 'month';
  return planBacklogProposals({
    cycleId: cycle.id,
    planVersion: plan.head?.version ?? null,
    periods: periodsOf(cycle, granularity).map((period) => ({ period, workingDays: workingDaysIn(period, granularity, cycle) })),
    volumesOf: (itemId) => plan.lines.get(itemId)?.volumes,
    heads,
  });
}
