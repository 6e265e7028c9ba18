import type { BacklogProposal } from '#contract/meetings/meetings';
import { compareText } from '#contract/text-order';
import type { ThresholdHead, ThresholdVersion } from '#contract/thresholds/thresholds';
import { loadCell } from './load';
import type { Period } from './plan';

/**
 * What the plan proposes for a meeting's agenda: the items whose plan goes
 * beyond the flex band of their threshold (agreed, else the latest waiting
 * for sign-off) in some period, and the threshold versions waiting for
 * sign-off whose normal capacity is below the plan in some period. The plan
 * alone counts here, not the commitments: the question is whether the
 * thresholds being agreed fit what sales plans.
 */
export interface PlanBacklog {
  cycleId: string;
  planVersion: number | null;
  beyondFlex: BacklogProposal[];
  signOffsBelowPlan: BacklogProposal[];
}

/** Periods listed in a proposal's detail before "and N more". */
const shownPeriods = 3;

function listed(parts: string[]): string {
  const shown = parts.slice(0, shownPeriods).join(', ');
  return parts.length > shownPeriods ? `${shown} and ${parts.length - shownPeriods} more` : shown;
}

/** The threshold whose capacity counts for the plan: the agreed version, else the latest one. */
const capacityVersion = (head: ThresholdHead): ThresholdVersion => head.agreed ?? head.latest;

export function planBacklogProposals(input: {
  cycleId: string;
  planVersion: number | null;
  periods: ReadonlyArray<{ period: Period; workingDays: number }>;
  volumesOf: (itemId: string) => Record<Period, number> | undefined;
  heads: readonly ThresholdHead[];
}): PlanBacklog {
  const heads = [...input.heads].sort((a, b) => compareText(a.itemCode, b.itemCode));
  const beyondFlex: BacklogProposal[] = [];
  const signOffsBelowPlan: BacklogProposal[] = [];
  for (const head of heads) {
    const volumes = input.volumesOf(head.itemId);
    if (!volumes) continue;
    const version = capacityVersion(head);
    const beyond = input.periods
      .map(({ period, workingDays }) => loadCell(period, volumes[period] ?? 0, 0, workingDays, version.terms))
      .filter((cell) => cell.status === 'beyond');
    if (beyond.length > 0) {
      const total = beyond.reduce((sum, cell) => sum + cell.beyondVolume, 0);
      beyondFlex.push({
        source: { kind: 'manual' },
        title: `Plan beyond flex: ${head.itemCode}`.slice(0, 200),
        detail:
          `${head.itemName}: ${total} planned beyond the flex band of threshold v${version.version}` +
          `${head.agreed ? '' : ' (pending)'} in ${listed(beyond.map((cell) => `${cell.period} (${cell.plan} against ${cell.flexCapacity})`))}`,
        durationMinutes: 10,
        links: { thresholdId: head.itemId, thresholdVersion: version.version },
      });
    }
    if (head.agreed?.version === head.version) continue;
    const below = input.periods
      .map(({ period, workingDays }) => loadCell(period, volumes[period] ?? 0, 0, workingDays, head.latest.terms))
      .filter((cell) => cell.capacity !== null && cell.plan > cell.capacity);
    if (below.length > 0) {
      signOffsBelowPlan.push({
        source: { kind: 'signOff', thresholdId: head.itemId, thresholdVersion: head.version },
        title: `Sign off ${head.itemCode} threshold v${head.version}`.slice(0, 200),
        detail: `${head.itemName}: capacity below plan in ${listed(below.map((cell) => `${cell.period} (${cell.capacity} against ${cell.plan})`))}`,
        durationMinutes: 10,
        links: { thresholdId: head.itemId, thresholdVersion: head.version },
      });
    }
  }
  return { cycleId: input.cycleId, planVersion: input.planVersion, beyondFlex, signOffsBelowPlan };
}
