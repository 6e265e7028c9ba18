import type { MemberFunction } from '#contract/workspaces/members';

/**
 * Misalignment issues, their occurrences, and the rules that rank them.
 * Pure functions only: the store keeps the aggregates, these turn them into
 * an explainable score, an action priority and a Pareto view.
 */
export const issueCategories = [
  'lead time',
  'scope',
  'quota/incentive',
  'communication',
  'training',
  'information system',
  'parameter misunderstanding',
  'other',
] as const;
export type IssueCategory = (typeof issueCategories)[number];

export const issueStatuses = ['open', 'analysing', 'action planned', 'resolved', "won't fix"] as const;
export type IssueStatus = (typeof issueStatuses)[number];

/** Statuses of issues still to tackle; only these are ranked. */
export const activeStatuses: readonly IssueStatus[] = ['open', 'analysing', 'action planned'];

/** Where an occurrence was detected, from earliest (cheapest) to latest. */
export const detectionStages = ['quoting', 'order entry', 'production', 'delivery', 'customer complaint'] as const;
export type DetectionStage = (typeof detectionStages)[number];

export const costTypes = ['extra resources', 'expedite fees', 'setup change', 'delayed production', 'other'] as const;
export type CostType = (typeof costTypes)[number];

export type CostBreakdown = Record<CostType, number>;

/**
 * Calendar months an occurrence counts as "recent" for the score: this month
 * and the two before it. Whole months rather than a rolling count of days,
 * so the issue item keeps at most three recent buckets however often the
 * issue occurs, and the ranking reads the same small item for every issue.
 */
export const recentMonths = 3;

/**
 * Allowed status changes: work moves forward, can be closed from any active
 * status, and a closed issue can be reopened when it comes back.
 */
const transitions: Record<IssueStatus, readonly IssueStatus[]> = {
  open: ['analysing', 'action planned', 'resolved', "won't fix"],
  analysing: ['open', 'action planned', 'resolved', "won't fix"],
  'action planned': ['analysing', 'resolved', "won't fix"],
  resolved: ['open'],
  "won't fix": ['open'],
};

/** Why a status change is refused, or null when it is allowed. */
export function statusChangeRefusal(from: IssueStatus, to: IssueStatus): string | null {
  if (from === to || transitions[from].includes(to)) return null;
  return `An issue that is ${from} cannot become ${to}; allowed: ${transitions[from].join(', ')}`;
}

/** The aggregates kept on the issue item, updated with each occurrence so ranking never reads occurrences. */
export interface IssueAggregates {
  occurrenceCount: number;
  totalCost: number;
  costByType: CostBreakdown;
  /**
   * Cost per calendar month (YYYY-MM) for the months still in the recent
   * window; older months drop off as occurrences are logged, so this holds
   * at most a few entries (see `recentMonths`).
   */
  recentCostByMonth: Record<string, number>;
  /** Occurrence count per detection stage. */
  stageCounts: Record<DetectionStage, number>;
}

export interface MisalignmentIssue extends IssueAggregates {
  /** When the latest occurrence was logged (not when it occurred), or null before any. */
  lastLoggedAt: string | null;
  earliestDetection: DetectionStage | null;
  id: string;
  workspaceId: string;
  title: string;
  description: string;
  category: IssueCategory;
  status: IssueStatus;
  itemIds: string[];
  functions: MemberFunction[];
  owner: string | null;
  currency: string;
  /** Budget cycle the issue was raised in, when known. */
  cycleId: string | null;
  meetingIds: string[];
  thresholdVersionIds: string[];
  /** Meeting decisions that changed the issue's status, oldest first. */
  decisions?: IssueDecision[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A planning-meeting decision that moved an issue's status: the back-reference of the decision's link. */
export interface IssueDecision {
  meetingId: string;
  decisionId: string;
  from: IssueStatus;
  to: IssueStatus;
  decidedAt: string;
  decidedBy: string;
}

export interface Occurrence {
  id: string;
  issueId: string;
  workspaceId: string;
  occurredOn: string;
  reference: string;
  detectedAt: DetectionStage;
  cost: CostBreakdown;
  totalCost: number;
  currency: string;
  notes: string;
  reporter: string;
  /** The promise-check commitment that caused it, when it came from one. */
  commitmentId: string | null;
  loggedAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export const emptyCost = (): CostBreakdown => ({
  'extra resources': 0,
  'expedite fees': 0,
  'setup change': 0,
  'delayed production': 0,
  other: 0,
});

export const emptyStageCounts = (): Record<DetectionStage, number> => ({
  quoting: 0,
  'order entry': 0,
  production: 0,
  delivery: 0,
  'customer complaint': 0,
});

/** Money is kept in minor units (cents) so sums stay exact. */
export const toMinor = (amount: number): number => Math.round(amount * 100);
export const fromMinor = (minor: number): number => minor / 100;

/**
 * The one cost sum: a breakdown's total in minor units, each part rounded to
 * the cent first, so an issue's aggregates, its days and its occurrences'
 * totals always add up to the same cents.
 */
export function costMinor(cost: Partial<CostBreakdown>): number {
  return costTypes.reduce((sum, type) => sum + toMinor(cost[type] ?? 0), 0);
}

/** A breakdown's total, in the currency's major unit. */
export function sumCost(cost: Partial<CostBreakdown>): number {
  return fromMinor(costMinor(cost));
}

/** Every cost type present, each rounded to the cent (a missing type costs 0). */
export function normalisedCost(cost: Partial<CostBreakdown>): CostBreakdown {
  const result = emptyCost();
  for (const type of costTypes) result[type] = fromMinor(toMinor(cost[type] ?? 0));
  return result;
}

/** The month (YYYY-MM) `months` calendar months before the month of `day` (YYYY-MM-DD or YYYY-MM). */
export function monthBefore(day: string, months: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 - months;
  const shifted = new Date(Date.UTC(year, month, 1));
  return shifted.toISOString().slice(0, 7);
}

/** The months of the recent window ending with `now`'s month, oldest first. */
export function recentWindow(now: string): string[] {
  return Array.from({ length: recentMonths }, (_, index) => monthBefore(now, recentMonths - 1 - index));
}

/** Whether an occurrence on `day` can still count as recent at `now` (this window or later). */
export function inRecentWindow(day: string, now: string): boolean {
  return day.slice(0, 7) >= monthBefore(now, recentMonths - 1);
}

/** Cost of the occurrences dated within the recent window ending with `now`'s month. */
export function recentCost(recentCostByMonth: Record<string, number>, now: string): number {
  return fromMinor(recentWindow(now).reduce((sum, month) => sum + toMinor(recentCostByMonth[month] ?? 0), 0));
}

/** What the detail screen shows of an issue's history: per-day counts and costs, first and last seen. */
export interface IssueHistory {
  firstSeen: string | null;
  lastSeen: string | null;
  costByDay: Record<string, number>;
  countByDay: Record<string, number>;
}

/** First and last day the issue occurred on; counts of zero are days whose occurrences were corrected away. */
export function seenRange(countByDay: Record<string, number>): { firstSeen: string | null; lastSeen: string | null } {
  const days = Object.entries(countByDay)
    .filter(([, count]) => count > 0)
    .map(([day]) => day)
    .sort();
  return { firstSeen: days[0] ?? null, lastSeen: days.at(-1) ?? null };
}

/** The earliest stage at which the issue has been caught, or null before any occurrence. */
export function earliestStage(stageCounts: Record<DetectionStage, number>): DetectionStage | null {
  return detectionStages.find((stage) => stageCounts[stage] > 0) ?? null;
}

/** The stage at which the issue is typically caught: the count-weighted mean stage, rounded. */
export function typicalStage(stageCounts: Record<DetectionStage, number>): DetectionStage | null {
  let count = 0;
  let weighted = 0;
  detectionStages.forEach((stage, index) => {
    count += stageCounts[stage];
    weighted += stageCounts[stage] * index;
  });
  if (count === 0) return null;
  return detectionStages[Math.round(weighted / count)] ?? null;
}

/** The workspace's scoring model; the admin edits it. */
export interface ScoringModel {
  weights: { cost: number; recentCost: number; frequency: number; detection: number };
  /** Total cost at which the cost part reaches its full weight. */
  costScale: number;
  /** Cost in the recent window (this month and the two before) at which the recent-cost part reaches its full weight. */
  recentCostScale: number;
  /** Occurrence count at which the frequency part reaches its full weight. */
  frequencyScale: number;
  /** Votes each manager may distribute per cycle. */
  votesPerManager: number;
  /** Currency new issues count their cost in. */
  currency: string;
  updatedAt: string | null;
  updatedBy: string | null;
  version: number;
}

export const defaultScoringModel: ScoringModel = {
  weights: { cost: 40, recentCost: 20, frequency: 25, detection: 15 },
  costScale: 100_000,
  recentCostScale: 25_000,
  frequencyScale: 50,
  votesPerManager: 10,
  currency: 'EUR',
  updatedAt: null,
  updatedBy: null,
  version: 0,
};

export interface ScorePart {
  name: 'cost' | 'recent cost' | 'frequency' | 'detection';
  points: number;
}

export interface Score {
  total: number;
  parts: ScorePart[];
  /** e.g. "42 = 18 cost + 6 recent cost + 12 frequency + 6 detection" */
  explanation: string;
}

/** 0 at zero, 1 at `scale` and above, logarithmic in between so the first costs count most. */
function saturating(value: number, scale: number): number {
  if (!(value > 0) || !(scale > 0)) return 0;
  return Math.min(1, Math.log1p(value) / Math.log1p(scale));
}

const tenths = (value: number) => Math.round(value * 10);

/**
 * The absolute score of one issue: it depends only on that issue's
 * aggregates and the workspace's model, never on the other issues, so adding
 * an issue never changes another's score. Parts are rounded to one decimal
 * and the total is their sum, so the explanation always adds up.
 */
export function scoreIssue(
  aggregates: Pick<IssueAggregates, 'occurrenceCount' | 'totalCost' | 'recentCostByMonth' | 'stageCounts'>,
  model: ScoringModel,
  now: string,
): Score {
  const typical = typicalStage(aggregates.stageCounts);
  const lateness = typical === null ? 0 : detectionStages.indexOf(typical) / (detectionStages.length - 1);
  const raw: Array<[ScorePart['name'], number]> = [
    ['cost', model.weights.cost * saturating(aggregates.totalCost, model.costScale)],
    ['recent cost', model.weights.recentCost * saturating(recentCost(aggregates.recentCostByMonth, now), model.recentCostScale)],
    ['frequency', model.weights.frequency * saturating(aggregates.occurrenceCount, model.frequencyScale)],
    ['detection', model.weights.detection * lateness],
  ];
  const parts = raw.map(([name, value]) => ({ name, points: tenths(value) / 10 }));
  const total = raw.reduce((sum, [, value]) => sum + tenths(value), 0) / 10;
  const explanation = `${format(total)} = ${parts.map((part) => `${format(part.points)} ${part.name}`).join(' + ')}`;
  return { total, parts, explanation };
}

const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** An issue as its detail screen shows it: with its score, action priority, recent cost and history. */
export interface IssueDetail extends MisalignmentIssue, IssueHistory {
  score: Score;
  actionPriority: ActionPriorityResult;
  recentCost: number;
  /** First day of the recent window the recent cost covers. */
  recentSince: string;
}

/**
 * FMEA-style ratings (1–10). Severity comes from total cost, occurrence from
 * the number of occurrences, detection from the typical detection stage.
 */
const severityBands: Array<[minCost: number, rating: number]> = [
  [200_000, 10],
  [50_000, 9],
  [10_000, 7],
  [1_000, 5],
  [0.01, 3],
];
const occurrenceBands: Array<[minCount: number, rating: number]> = [
  [30, 10],
  [10, 8],
  [4, 6],
  [2, 4],
  [1, 2],
];
const detectionRatings: Record<DetectionStage, number> = {
  quoting: 2,
  'order entry': 4,
  production: 6,
  delivery: 8,
  'customer complaint': 10,
};

export type ActionPriority = 'High' | 'Medium' | 'Low';

export interface ActionPriorityResult {
  priority: ActionPriority;
  severity: number;
  occurrence: number;
  detection: number;
}

const band = (value: number, bands: Array<[number, number]>) => bands.find(([min]) => value >= min)?.[1] ?? 1;

/**
 * Severity first, as in the AIAG-VDA Action Priority table: a costly issue is
 * High as soon as it recurs, a cheap one is never High however often it
 * happens. The mapping is documented in docs/misalignment-and-ranking.md.
 */
export function actionPriority(aggregates: Pick<IssueAggregates, 'totalCost' | 'occurrenceCount' | 'stageCounts'>) {
  const severity = band(aggregates.totalCost, severityBands);
  const occurrence = band(aggregates.occurrenceCount, occurrenceBands);
  const typical = typicalStage(aggregates.stageCounts);
  const detection = typical === null ? 1 : detectionRatings[typical];
  let priority: ActionPriority;
  if (severity >= 9) {
    priority = occurrence >= 4 ? 'High' : detection >= 6 ? 'Medium' : 'Low';
  } else if (severity >= 7) {
    priority = occurrence >= 6 ? 'High' : occurrence >= 4 ? (detection >= 6 ? 'High' : 'Medium') : 'Low';
  } else if (severity >= 5) {
    priority = occurrence >= 8 ? 'High' : occurrence >= 4 ? (detection >= 6 ? 'Medium' : 'Low') : 'Low';
  } else {
    priority = occurrence >= 8 && detection >= 8 ? 'Medium' : 'Low';
  }
  return { priority, severity, occurrence, detection } satisfies ActionPriorityResult;
}

/** One page of a list and the cursor of the next page (null on the last page). */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}
