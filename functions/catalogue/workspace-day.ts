import type { ApprovalBand } from '#contract/catalogue/approval';
import { addDays } from '#contract/working-days';
import type { ItemsByKey } from '#functions/table/batch-get';
import { knownWorkspaceToday, workspaceDayFrom, workspaceKey } from '#functions/workspaces/workspaces';

/** What a promise needs of its workspace; the approval bands only when they were read. */
export interface WorkspaceDay {
  today: string;
  approvalBands?: ApprovalBand[];
}

/** The approval bands a `fresh` read brought: their absence is a bug, not a reason for another request. */
export function freshApprovalBands(day: WorkspaceDay): ApprovalBand[] {
  if (!day.approvalBands) throw new Error('The workspace was read without its approval bands');
  return day.approvalBands;
}

/**
 * The days today can be where a workspace works, for a read that chooses its
 * keys before knowing. When the time zone is cached here, today is known and
 * nothing more is read, unless `fresh` asks for the workspace's settings
 * (a commitment's approval bands). Otherwise the workspace item (`key`) joins
 * that read's own BatchGetItem, and the keys cover every day today can be:
 * time zones run from UTC−12 to UTC+14, so within a day of UTC's. Either way
 * the workspace costs no round trip of its own.
 */
export function possibleToday(workspaceId: string, now: string, fresh = false) {
  const known = knownWorkspaceToday(workspaceId, now);
  const utc = now.slice(0, 10);
  const key = known === undefined || fresh ? workspaceKey(workspaceId) : undefined;
  return {
    earliest: known ?? addDays(utc, -1),
    latest: known ?? addDays(utc, 1),
    keys: key ? [key] : [],
    /** The day and settings, from what the read brought back. */
    day(found: Pick<ItemsByKey, 'get'>): WorkspaceDay {
      if (key) return workspaceDayFrom(workspaceId, found.get(key), now);
      return { today: known ?? utc };
    },
  };
}
