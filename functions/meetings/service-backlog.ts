import type { AgendaSource, Backlog, BacklogProposal } from '#contract/meetings/meetings';
import { openActions, pendingSignOffs, topIssues } from './backlog-proposals';
import { getFullMeeting } from './service-reads';

const sourceKey = (source: AgendaSource) =>
  source.kind === 'issue'
    ? `issue:${source.issueId}`
    : source.kind === 'signOff'
      ? `signOff:${source.thresholdId}:${source.thresholdVersion}`
      : source.kind === 'action'
        ? `action:${source.actionId}`
        : 'manual';

/** The meeting's agenda backlog: every proposal of its cycle that is not on its agenda yet, the top `topN` issues first. */
export async function meetingBacklog(workspaceId: string, meetingId: string, topN: number): Promise<Backlog> {
  const { meeting, agenda } = await getFullMeeting(workspaceId, meetingId);
  const taken = new Set(agenda.map((entry) => sourceKey(entry.source)));
  const fresh = (proposals: BacklogProposal[]) => proposals.filter((proposal) => !taken.has(sourceKey(proposal.source)));
  const [issues, signOffs, actions] = await Promise.all([
    topIssues(workspaceId, meeting.cycleId, topN),
    pendingSignOffs(workspaceId, meeting.cycleId),
    openActions(workspaceId, meeting),
  ]);
  return { topIssues: fresh(issues), pendingSignOffs: fresh(signOffs), openActions: fresh(actions) };
}
