import type { AgendaSource, Backlog, BacklogProposal } from '#contract/meetings/meetings';
import { openActions, pendingSignOffs, topIssues } from './backlog-proposals';
import { cycleMeetingsAhead } from './service-carry-forward';
import { getFullMeeting } from './service-reads';

const sourceKey = (source: AgendaSource) =>
  source.kind === 'issue'
    ? `issue:${source.issueId}`
    : source.kind === 'signOff'
      ? `signOff:${source.thresholdId}:${source.thresholdVersion}`
      : source.kind === 'action'
        ? `action:${source.actionId}`
        : 'manual';

/** What the backlog reads of a cycle, each source keyed by the cycle alone. */
function cycleSources(workspaceId: string, cycleId: string, topN: number) {
  const sources = {
    issues: topIssues(workspaceId, cycleId, topN),
    signOffs: pendingSignOffs(workspaceId, cycleId),
    meetings: cycleMeetingsAhead(workspaceId, cycleId),
  };
  // Set aside unawaited when the meeting turns out to be of another cycle: their failure then matters to nobody.
  sources.issues.catch(() => undefined);
  sources.signOffs.catch(() => undefined);
  return sources;
}

/**
 * The meeting's agenda backlog: every proposal of its cycle that is not on its agenda yet, the top `topN` issues
 * first. The proposals are keyed by the meeting's cycle: with `cycleHint`, the cycle as the caller has it, they are
 * read beside the meeting (one round trip); when the stored meeting is of another cycle, or no hint came, they are
 * read for the stored cycle after it (two), so the answer is always the meeting's own cycle's.
 */
export async function meetingBacklog(workspaceId: string, meetingId: string, topN: number, cycleHint?: string): Promise<Backlog> {
  const hinted = cycleHint ? { cycleId: cycleHint, ...cycleSources(workspaceId, cycleHint, topN) } : undefined;
  const { meeting, agenda } = await getFullMeeting(workspaceId, meetingId);
  const sources = hinted?.cycleId === meeting.cycleId ? hinted : cycleSources(workspaceId, meeting.cycleId, topN);
  const taken = new Set(agenda.map((entry) => sourceKey(entry.source)));
  const fresh = (proposals: BacklogProposal[]) => proposals.filter((proposal) => !taken.has(sourceKey(proposal.source)));
  const [issues, signOffs, actions] = await Promise.all([
    sources.issues,
    sources.signOffs,
    openActions(workspaceId, meeting, sources.meetings),
  ]);
  return { topIssues: fresh(issues), pendingSignOffs: fresh(signOffs), openActions: fresh(actions) };
}
