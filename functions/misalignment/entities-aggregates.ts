import {
  type CostType,
  costMinor,
  costTypes,
  type DetectionStage,
  detectionStages,
  emptyCost,
  emptyStageCounts,
  fromMinor,
  type IssueAggregates,
  inRecentWindow,
  monthBefore,
  type Occurrence,
  recentMonths,
  recentWindow,
  toMinor,
} from '#contract/misalignment/misalignment';

/**
 * Aggregates live on the issue item as flat numeric attributes so every
 * occurrence write can change them with one atomic ADD, exact however many
 * writes race: `cost#<type>` and `totalCostMinor` in minor units,
 * `stage#<stage>` counts, and `recentCost#<YYYY-MM>` for the months of the
 * recent window. The item's size does not grow with occurrences or with the
 * days they fall on (those go to the issue's `DAY#` items), so the ranking
 * reads 2,000 issues in the same bytes whether they occurred 1,000 or
 * 100,000 times.
 */
const costAttr = (type: CostType) => `cost#${type}`;
const stageAttr = (stage: DetectionStage) => `stage#${stage}`;
const recentCostPrefix = 'recentCost#';
/**
 * How many months before the recent window each occurrence write clears.
 * Months that fell out of the window are removed by name (removing a missing
 * attribute is a no-op), so an issue keeps at most the window's buckets plus
 * those left by a burst more than this long before its next occurrence.
 */
const prunedMonths = 12;

/** The aggregate attributes a new issue starts with, all zero. */
export function zeroAggregates(): Record<string, number> {
  const aggregates: Record<string, number> = { occurrenceCount: 0, totalCostMinor: 0 };
  for (const type of costTypes) aggregates[costAttr(type)] = 0;
  for (const stage of detectionStages) aggregates[stageAttr(stage)] = 0;
  return aggregates;
}

/** The aggregate attributes a ranking reads at `now`: counts, stages and the recent window's buckets. */
export const rankedAggregateAttributes = (now: string) => [
  'occurrenceCount',
  'totalCostMinor',
  ...detectionStages.map(stageAttr),
  ...recentWindow(now).map((month) => `${recentCostPrefix}${month}`),
];

const amount = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0));

/** The aggregates of a stored issue item, from its flat attributes (absent ones, e.g. not projected, are 0). */
export function aggregatesOf(item: Record<string, unknown>): IssueAggregates {
  const costByType = emptyCost();
  for (const type of costTypes) costByType[type] = fromMinor(amount(item[costAttr(type)]));
  const stageCounts = emptyStageCounts();
  for (const stage of detectionStages) stageCounts[stage] = amount(item[stageAttr(stage)]);
  const recentCostByMonth: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(recentCostPrefix)) recentCostByMonth[name.slice(recentCostPrefix.length)] = fromMinor(amount(value));
  }
  return {
    occurrenceCount: amount(item.occurrenceCount),
    totalCost: fromMinor(amount(item.totalCostMinor)),
    costByType,
    stageCounts,
    recentCostByMonth,
  };
}

/** What of an occurrence its issue's aggregates and days count. */
export type Counted = Pick<Occurrence, 'occurredOn' | 'detectedAt' | 'cost'>;

/**
 * Attribute deltas an occurrence adds to its issue (sign -1 takes a corrected
 * version back out). Its month's recent bucket moves only while that month is
 * in the recent window at `now`: an older month never counts again, and its
 * bucket has been, or will be, cleared.
 */
export function aggregateDelta(occurrence: Counted, sign: 1 | -1, now: string) {
  const delta = new Map<string, number>();
  const add = (name: string, value: number) => delta.set(name, (delta.get(name) ?? 0) + sign * value);
  const totalMinor = costMinor(occurrence.cost);
  add('occurrenceCount', 1);
  add('totalCostMinor', totalMinor);
  for (const type of costTypes) add(costAttr(type), toMinor(occurrence.cost[type]));
  add(stageAttr(occurrence.detectedAt), 1);
  if (inRecentWindow(occurrence.occurredOn, now)) add(`${recentCostPrefix}${occurrence.occurredOn.slice(0, 7)}`, totalMinor);
  return delta;
}

export function mergeDeltas(...deltas: Array<Map<string, number>>) {
  const merged = new Map<string, number>();
  for (const delta of deltas) for (const [name, value] of delta) merged.set(name, (merged.get(name) ?? 0) + value);
  return merged;
}

/**
 * The issue's update for the deltas: `ADD` clauses (atomic, so concurrent
 * occurrences never lose each other's counts) and a `REMOVE` of the recent
 * buckets that fell out of the window, plus any extra `SET` clauses.
 */
export function aggregateUpdate(delta: Map<string, number>, now: string, sets: string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  let index = 0;
  for (const [name, value] of delta) {
    if (value === 0 && name !== 'occurrenceCount') continue;
    names[`#a${index}`] = name;
    values[`:a${index}`] = value;
    adds.push(`#a${index} :a${index}`);
    index += 1;
  }
  const removes = Array.from({ length: prunedMonths }, (_, offset) => {
    names[`#r${offset}`] = `${recentCostPrefix}${monthBefore(now, recentMonths + offset)}`;
    return `#r${offset}`;
  });
  const clause = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
    `REMOVE ${removes.join(', ')}`,
  ]
    .filter(Boolean)
    .join(' ');
  return { clause, names, values };
}
