import type { PlanGranularity } from '#contract/plan/plan';
import { periodsOf } from '#contract/plan/plan';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { refuse } from '#contract/refusal';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import { readPlan, type StoredPlan } from '#functions/plan-record/stored-plan';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { getCycle } from '#functions/thresholds/entities-cycles';

/** What every plan use case reads first, in one round trip: the cycle, the plan and the portfolio. */
export interface PlanContext extends StoredPlan {
  cycle: BudgetCycle;
  items: PortfolioItem[];
  granularity: PlanGranularity;
  periods: string[];
  itemIdOf: (code: string) => string | undefined;
}

export async function readPlanContext(workspaceId: string, cycleId: string): Promise<PlanContext> {
  const [cycle, plan, items] = await Promise.all([
    getCycle(workspaceId, cycleId),
    readPlan(workspaceId, cycleId),
    allPortfolioItems(workspaceId),
  ]);
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  const granularity = plan.head?.granularity ?? 'month';
  const byCode = new Map(items.map((item) => [item.code.toUpperCase(), item.id]));
  return {
    ...plan,
    cycle,
    items,
    granularity,
    periods: periodsOf(cycle, granularity),
    itemIdOf: (code) => byCode.get(code.trim().toUpperCase()),
  };
}
