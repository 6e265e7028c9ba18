import type { BacklogProposal, Meeting } from '#contract/meetings/meetings';
import { compareText } from '#contract/text-order';
import { type ThresholdHead, thresholdStatus } from '#contract/thresholds/thresholds';
import { standingRanking } from '#functions/misalignment/ranking';
import { listCycleThresholds } from '#functions/thresholds/thresholds';
import { type CycleMeetings, carryForwardCandidates } from './service-carry-forward';

/**
 * Where a meeting's agenda backlog comes from, each part from the area that
 * owns it: the ranking its top issues, threshold sign-off the versions
 * waiting for signatures, meetings the open actions of earlier meetings.
 */

/** Who reads the ranking for a backlog: nobody's votes are "yours" there. */
const backlogReader = { email: '', name: 'agenda backlog' };

/**
 * The `n` highest-ranked issues of the cycle: its frozen ranking when the cycle has frozen one
 * (the list the planning team agreed to tackle), else the live ranking, both
 * from the ranking store with the same score, parts and votes the ranking
 * screen shows.
 */
export async function topIssues(workspaceId: string, cycleId: string, n: number): Promise<BacklogProposal[]> {
  const { frozen, entries } = await standingRanking({
    workspaceId,
    cycleId,
    caller: backlogReader,
    now: new Date().toISOString(),
  });
  return entries.slice(0, n).map((entry) => ({
    source: { kind: 'issue', issueId: entry.issueId },
    title: entry.title.slice(0, 200),
    detail:
      `#${entry.rank}${frozen ? ' (frozen)' : ''}, score ${entry.score.total}, ${entry.actionPriority.priority} priority, ` +
      `${entry.votes} votes, ${entry.occurrenceCount} occurrences costing ${entry.totalCost} ${entry.currency}`,
    durationMinutes: 10,
    links: { issueId: entry.issueId },
  }));
}

/** Threshold versions of the cycle waiting for sign-off, from the cycle's thresholds (one Query over `gsi1`). */
export async function pendingSignOffs(workspaceId: string, cycleId: string): Promise<BacklogProposal[]> {
  const heads: ThresholdHead[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCycleThresholds(workspaceId, cycleId, { limit: 100, cursor });
    heads.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return heads
    .filter((head) => thresholdStatus(head) === 'pending')
    .sort((a, b) => compareText(a.itemCode, b.itemCode))
    .map((head) => {
      const signed = head.signOffs.map((signOff) => `${signOff.function} (${signOff.name})`);
      return {
        source: { kind: 'signOff', thresholdId: head.itemId, thresholdVersion: head.version },
        title: `Sign off ${head.itemCode} threshold v${head.version}`.slice(0, 200),
        detail: `${head.itemName}: ${signed.length > 0 ? `signed by ${signed.join(', ')}` : 'no sign-off yet'}`,
        durationMinutes: 10,
        links: { thresholdId: head.itemId, thresholdVersion: head.version },
      };
    });
}

/** Unfinished actions of earlier meetings of the cycle that `meeting` would take over. */
export async function openActions(workspaceId: string, meeting: Meeting, ahead?: CycleMeetings): Promise<BacklogProposal[]> {
  const actions = await carryForwardCandidates(workspaceId, meeting, ahead);
  return actions.map((action) => ({
    source: { kind: 'action', meetingId: action.meetingId, actionId: action.id },
    title: `Follow-up: ${action.text}`.slice(0, 200),
    detail: `${action.ownerName}, due ${action.dueDate}`,
    durationMinutes: 5,
    links: {},
  }));
}
