import type { AgendaSource, Backlog, BacklogProposal, Meeting } from '../domain/meetings';
import { carryForwardCandidates } from './meeting-outcomes';

/**
 * Where a meeting's agenda backlog comes from. Each area provides its own
 * part: the ranking its top issues, threshold sign-off the versions waiting
 * for signatures, meetings the open actions of earlier meetings.
 */
export interface BacklogSource {
  /** The `n` highest-ranked issues of the cycle's ranking (the frozen one when the cycle has frozen it). */
  topIssues(workspaceId: string, cycleId: string, n: number): Promise<BacklogProposal[]>;
  /** Threshold versions of the cycle waiting for a sales and an operations sign-off. */
  pendingSignOffs(workspaceId: string, cycleId: string): Promise<BacklogProposal[]>;
  /** Unfinished actions of earlier meetings of the cycle that `meeting` would take over. */
  openActions(workspaceId: string, cycleId: string, meeting: Meeting): Promise<BacklogProposal[]>;
}

/**
 * Issue ranking is not part of this module: until the ranking store
 * provides `topIssues` (proposals with `source: { kind: 'issue', issueId }`
 * and `links.issueId`), there are no ranked issues to propose.
 */
async function topIssues(_workspaceId: string, _cycleId: string, _n: number): Promise<BacklogProposal[]> {
  return [];
}

/**
 * Thresholds are not part of this module: until the threshold store
 * provides `pendingSignOffs` (proposals with `source: { kind: 'signOff', ... }`
 * and `links.thresholdId` / `links.thresholdVersion`), nothing waits for sign-off.
 */
async function pendingSignOffs(_workspaceId: string, _cycleId: string): Promise<BacklogProposal[]> {
  return [];
}

async function openActions(workspaceId: string, _cycleId: string, meeting: Meeting): Promise<BacklogProposal[]> {
  const actions = await carryForwardCandidates(workspaceId, meeting);
  return actions.map((action) => ({
    source: { kind: 'action', meetingId: action.meetingId, actionId: action.id },
    title: `Follow-up: ${action.text}`.slice(0, 200),
    detail: `${action.ownerName}, due ${action.dueDate}`,
    durationMinutes: 5,
    links: {},
  }));
}

const providers: BacklogSource = { topIssues, pendingSignOffs, openActions };

/** The providers in use; `setBacklogProviders` swaps parts in for a test and returns how to swap them back. */
export const backlogSource: BacklogSource = {
  topIssues: (...args) => providers.topIssues(...args),
  pendingSignOffs: (...args) => providers.pendingSignOffs(...args),
  openActions: (...args) => providers.openActions(...args),
};

export function setBacklogProviders(parts: Partial<BacklogSource>): () => void {
  const previous = { ...providers };
  Object.assign(providers, parts);
  return () => {
    Object.assign(providers, previous);
  };
}

const sourceKey = (source: AgendaSource) =>
  source.kind === 'issue'
    ? `issue:${source.issueId}`
    : source.kind === 'signOff'
      ? `signOff:${source.thresholdId}:${source.thresholdVersion}`
      : source.kind === 'action'
        ? `action:${source.actionId}`
        : 'manual';

/** The meeting's backlog: every proposal that is not on its agenda yet. */
export async function agendaBacklog(
  workspaceId: string,
  meeting: Meeting,
  agendaSources: AgendaSource[],
  topN: number,
): Promise<Backlog> {
  const taken = new Set(agendaSources.map(sourceKey));
  const fresh = (proposals: BacklogProposal[]) => proposals.filter((proposal) => !taken.has(sourceKey(proposal.source)));
  const [issues, signOffs, actions] = await Promise.all([
    backlogSource.topIssues(workspaceId, meeting.cycleId, topN),
    backlogSource.pendingSignOffs(workspaceId, meeting.cycleId),
    backlogSource.openActions(workspaceId, meeting.cycleId, meeting),
  ]);
  return { topIssues: fresh(issues), pendingSignOffs: fresh(signOffs), openActions: fresh(actions) };
}
