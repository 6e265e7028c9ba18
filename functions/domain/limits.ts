/**
 * Per-workspace caps on collections whose unbounded growth would hurt (lists
 * a screen loads whole, exports, rankings), enforced by the store with a
 * counter on the workspace item.
 */
export const workspaceCaps = {
  members: 500,
  portfolioItems: 5000,
} as const;

export type CappedCollection = keyof typeof workspaceCaps | (string & {});

/** Name of the counter attribute on the workspace item. */
export const counterAttribute = (collection: CappedCollection) => `${collection}Count`;
