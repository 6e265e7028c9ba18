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

/**
 * How far ahead a promise check or a commitment may ask: a delivery date (or
 * a lead time) at most this many calendar days after today, two years.
 * Capacity is planned per cycle, so an answer further out would rest on no
 * agreed plan; and the work of an answer grows with the span it covers, so
 * the horizon is what keeps one request short.
 */
export const promiseHorizonDays = 730;

/**
 * Hard cap on any span the working-day arithmetic walks, day by day (ten
 * years). Requests are bounded by `promiseHorizonDays` before they get here;
 * this cap only turns a missed bound into an error instead of a stalled server.
 */
export const maxWalkedDays = 3660;
