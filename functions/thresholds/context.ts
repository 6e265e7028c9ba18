import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { type Refusal, Refused, refuse } from '#contract/refusal';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import { readThresholdContext, type ThresholdContext } from './entities';

/** Applies a policy: its refusal, if any, is thrown for the kernel to answer. */
export function refuseIf(refusal: Refusal | null): void {
  if (refusal) throw new Refused(refusal);
}

/** What a threshold use case reads first, in one request; an unknown cycle is refused as not found. */
export async function readThreshold(
  input: { workspaceId: string; cycleId: string; itemId: string },
  options: { published: boolean; plan?: boolean },
): Promise<ThresholdContext & { cycle: BudgetCycle }> {
  const context = await readThresholdContext(input, options);
  const { cycle } = context;
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  return { ...context, cycle };
}

export function requireItem(item: PortfolioItem | undefined): PortfolioItem {
  if (!item) throw refuse.notFound('Portfolio item not found');
  return item;
}
