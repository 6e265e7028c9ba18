import type { AnyRoute, RouteName } from '#contract/index';

/**
 * Routes allowed more than one DynamoDB request, with how many more and why.
 * The target is one request per call; every route inside a workspace first
 * reads the caller's membership (one GetItem) to authorise the call, which
 * the budget adds on its own, so only further requests are listed here.
 */
export const reasons: Partial<Record<RouteName, { extra: number; why: string }>> = {};
const readBeforeWrite =
  'reads the current record (GetItem) for its version, state check and audit diff, then writes record and audit event in one TransactWriteItems';
for (const name of [
  'updateWorkspace',
  'updatePortfolioItem',
  'changeCycleState',
  'cancelCommitment',
  'createMisalignmentIssue',
  'updateMisalignmentIssue',
  'saveScoringModel',
  'castVotes',
  'updateMeeting',
  'markAttendance',
  'addAgendaEntry',
  'updateAgendaEntry',
  'reorderAgenda',
  'updateAction',
  'correctOccurrence',
  'revokeApiKey',
] as const) {
  reasons[name] = { extra: 1, why: readBeforeWrite };
}
Object.assign(reasons, {
  updateMember: {
    extra: 1,
    why: 'reads the member and the admin count together (BatchGetItem) so the last admin cannot be demoted',
  },
  removeMember: {
    extra: 1,
    why: 'reads the member and the admin count together (BatchGetItem) so the last admin cannot be removed',
  },
  recordDelivery: {
    extra: 1,
    why: 'reads the commitment and its item’s agreed threshold (for the currency of a late or missed delivery’s occurrence) in one BatchGetItem before the conditional TransactWriteItems',
  },
  importDeliveries: {
    extra: 2,
    why: 'reads the references of the rows (BatchGetItems side by side), then the matched commitments, their thresholds and earlier deliveries (likewise), then writes one TransactWriteItems per applied row (side by side): a bulk route, three round trips whatever the number of rows',
  },
  recordCommitment: {
    extra: 3,
    why: 'reads the agreed threshold and the capacity buckets of the weeks up to the delivery date (one BatchGetItem) and, beside it, the workspace (GetItem) for the bands that need approval and the members (Query) to notify of one awaiting approval, before the conditional TransactWriteItems',
  },
  recordOrder: {
    extra: 3,
    why: 'reads every line’s agreed threshold and capacity buckets (BatchGetItems sent together) and, beside them, the workspace (GetItem) for its date and the bands that need approval and the members (Query) to notify of lines awaiting approval, before the one conditional TransactWriteItems of all lines',
  },
  approveCommitment: {
    extra: 1,
    why: 'reads the commitment and the agreed threshold together (BatchGetItem) before the decision TransactWriteItems, conditional on the threshold version and each week staying within the flex band',
  },
  declineCommitment: {
    extra: 1,
    why: 'reads the commitment and the agreed threshold together (BatchGetItem) before the TransactWriteItems that declines it and gives its capacity back',
  },
  saveThreshold: {
    extra: 1,
    why: 'reads cycle, item and threshold head (one BatchGetItem) before the versioned TransactWriteItems',
  },
  signOffThreshold: {
    extra: 1,
    why: 'reads cycle, threshold head, item and published threshold (one BatchGetItem) before the sign-off TransactWriteItems',
  },
  confirmSignOff: {
    extra: 3,
    why: 'reads the meeting and the decision (two GetItems) and, beside them under the cycle and item the caller names, cycle, threshold head, item and published threshold (one BatchGetItem) before the confirmation TransactWriteItems',
  },
  markNotificationsRead: {
    extra: 1,
    why: 'reads the named notifications and the unread counter (one BatchGetItem; for all: the newest unread and the counter, together) before marking them and the counter in one TransactWriteItems',
  },
  listOccurrences: { extra: 1, why: 'reads the issue (GetItem) so an unknown issue answers 404, not an empty page' },
  getRanking: {
    extra: 2,
    why: 'queries the issues (fixed-size items, never occurrences) and the cycle’s votes, and reads the scoring model and the freeze header together (BatchGetItem); constant in the data size',
  },
  getMisalignmentIssue: {
    extra: 1,
    why: 'reads the issue and the scoring model together (BatchGetItem) and the days it occurred on (Query) for its first/last seen',
  },
  exportMisalignmentIssues: {
    extra: 1,
    why: 'reads the issues (Query) and the days they occurred on (Query on gsi1) for first/last seen; grows with the log, as an export does',
  },
  freezeRanking: {
    extra: 4,
    why: 'reads cycle, scoring model and freeze header together (BatchGetItem), computes the live ranking (issues and votes, two Queries), writes the frozen entries in batches of 25 and the header in a TransactWriteItems',
  },
  changeMeetingState: {
    extra: 2,
    why: 'reads the meeting (GetItem) to check the transition and, when it opens, beside it the meetings of the cycle the caller names (Query on gsi1) for the actions it carries forward (one Query per earlier meeting that was held, after them), before the TransactWriteItems',
  },
  removeAgendaEntry: { extra: 2, why: 'reads the entry’s outcomes (Query) and the meeting before the write' },
  getAgendaBacklog: {
    extra: 5,
    why: 'reads the meeting with its agenda (Query) and, beside it under the cycle the caller names, the cycle’s ranking (issues and votes: two Queries; scoring model and freeze header: one BatchGetItem), the thresholds waiting for sign-off (Query on gsi1) and the cycle’s meetings (Query on gsi1), plus one Query per earlier meeting of the cycle that was held, for its open actions',
  },
  recordOutcome: { extra: 1, why: 'reads the meeting’s item collection (Query) before the write' },
  inviteMember: {
    extra: 2,
    why: 'reads the current record (GetItem) for its version and audit diff before the TransactWriteItems, then the workspace (GetItem) for the name the invitation mail gives',
  },
  exportPortfolioItems: {
    extra: 1,
    why: 'reads the workspace (GetItem) for its time zone, which dates the file, and its CSV style, beside the items (Query)',
  },
  previewPortfolioCsv: {
    extra: 1,
    why: 'reads the whole portfolio (Query, paged by DynamoDB past 1 MB) and, when a row names an owner, the members (Query), in parallel',
  },
  getSalesPlan: {
    extra: 2,
    why: 'reads the cycle (GetItem), the plan (one Query of its head and chunks) and the portfolio (Query), together',
  },
  saveSalesPlan: {
    extra: 3,
    why: 'reads the cycle, the plan and the portfolio together, then writes the new version (its chunks, head, cycle check and audit event) in one TransactWriteItems',
  },
  previewSalesPlanCsv: {
    extra: 2,
    why: 'reads the cycle, the plan and the portfolio together, writing nothing',
  },
  applySalesPlanCsv: {
    extra: 3,
    why: 'validates the file again as the preview did (cycle, plan and portfolio, together), then writes the new version in one TransactWriteItems',
  },
  getPlanLoad: {
    extra: 4,
    why: 'reads the cycle, the plan, the portfolio and the cycle’s thresholds (Query on gsi1) together, then the commitments delivered in the cycle (Query on gsi1); constant in the number of items and periods',
  },
  getPlanAttainment: {
    extra: 3,
    why: 'reads the cycle (GetItem), the plan (one Query of its head and chunks), the portfolio (Query) and the commitments promised in the cycle (Query on gsi1, over the dates the caller gives) together',
  },
  getPlanBacklog: {
    extra: 2,
    why: 'reads the cycle (GetItem), the plan (one Query of its head and chunks) and the cycle’s thresholds (Query on gsi1) together',
  },
  previewThresholdCsv: {
    extra: 2,
    why: 'reads the cycle (GetItem), the portfolio (Query) and the cycle’s thresholds (Query on gsi1) together, writing nothing',
  },
  applyThresholdCsv: {
    extra: 3,
    why: 'validates the file again as the preview did (cycle, portfolio and thresholds, together), then writes its new versions in transactions of up to 31 rows, each checking the cycle is still planned',
  },
  applyPortfolioCsv: {
    extra: 1,
    why: 'validates the file again as the preview did (the portfolio and, when a row names an owner, the members, in parallel), then writes its rows in transactions of up to 96 writes',
  },
} satisfies Partial<Record<RouteName, { extra: number; why: string }>>);
Object.assign(reasons, {
  listWorkspaceCommitments: {
    extra: 1,
    why: 'queries gsi1 by delivery date (one Query of at most 1000 commitments) beside the workspace’s time zone (GetItem, kept a minute per container, only for overdue) that dates overdue',
  },
  exportWorkspaceCommitments: {
    extra: 1,
    why: 'one Query of the commitments list per 1000 commitments read, up to 5000 rows, and the workspace’s time zone (GetItem, kept a minute per container) that dates the file; grows with the list, as an export does',
  },
  recordUnservedDemand: {
    extra: 2,
    why: 'reads the agreed threshold (GetItem as a one-key BatchGetItem) and the cycles containing the requested date (Query) side by side before the conditional TransactWriteItems',
  },
  listUnservedDemand: { extra: 1, why: 'reads the page (Query on gsi1) and the cycle’s totals (GetItem) side by side' },
  correctUnservedDemand: { extra: 1, why: readBeforeWrite },
  removeUnservedDemand: { extra: 1, why: readBeforeWrite },
} satisfies Partial<Record<RouteName, { extra: number; why: string }>>);
export const membershipCheck = 'membership check (GetItem) before the route’s own request';

export const inWorkspace = (route: AnyRoute) => route.path.includes('{workspaceId}');
/** Budget per route: 1 request, plus the membership check inside a workspace, plus any listed reason. */
export const budgetOf = (name: RouteName, route: AnyRoute) => 1 + (inWorkspace(route) ? 1 : 0) + (reasons[name]?.extra ?? 0);

/**
 * What the caller waits for: requests sent together count once. A read's
 * membership check goes out beside its own reads, so every read route takes
 * one round trip; a write reads (membership, and what it changes) and then
 * writes, two at most.
 */
export const roundTripTarget = (route: AnyRoute, name?: RouteName) =>
  (name ? roundTripReasons[name]?.trips : undefined) ?? (route.writes ? 2 : 1);

/** Routes allowed more sequential round trips than their kind, with how many and why. */
export const roundTripReasons: Partial<Record<RouteName, { trips: number; why: string }>> = {
  importDeliveries: {
    trips: 3,
    why: 'a bulk route: the rows name commitments by reference, so the reference index is read first, then the matched commitments, their thresholds and earlier deliveries, then one transaction per applied row (each kind side by side): three round trips whatever the number of rows',
  },
  freezeRanking: {
    trips: 3,
    why: 'reads the ranking (issues, votes, the cycle, the scoring model and any freeze, together), then writes the frozen entries (one per ranked issue, more than a transaction holds) before the transaction whose freeze header makes them visible',
  },
  getPlanLoad: {
    trips: 2,
    why: 'the commitments are queried by delivery date within the cycle, whose dates come back with the first round trip (cycle, plan, portfolio and thresholds, together)',
  },
};
