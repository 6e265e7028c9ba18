import type { Refusal } from '#contract/refusal';
import type { PortfolioItem } from './portfolio';

/**
 * Why an edit of a portfolio item based on `expectedVersion` may not be
 * saved: the item moved on meanwhile. Carries the item as it is.
 */
export function staleItemRefusal(item: PortfolioItem, expectedVersion: number): Refusal | null {
  if (item.version === expectedVersion) return null;
  return {
    kind: 'conflict',
    reason: `The item changed since version ${expectedVersion}; it is now version ${item.version}`,
    details: { current: item },
  };
}
