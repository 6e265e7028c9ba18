import { defaultApprovalBands } from '#contract/catalogue/approval';
import { defaultTimeZone } from '#contract/dates';
import { todayIn } from '#functions/kernel/today';
import { getWorkspace, workspaces } from './entities';

/**
 * How long a container keeps a workspace's time zone. It changes rarely (an
 * admin setting it once), and reading it on every date check would add a
 * request to routes whose cost is one request, such as the promise check; a
 * change thus takes up to this long to reach every running function.
 */
const timeZoneCacheMs = 60_000;
const timeZones = new Map<string, { timeZone: string; until: number }>();

/** Remembers a workspace's time zone for {@link timeZoneCacheMs}. */
function rememberTimeZone(workspaceId: string, timeZone: string | undefined): void {
  if (timeZones.size > 1000) timeZones.clear();
  timeZones.set(workspaceId, { timeZone: timeZone ?? defaultTimeZone, until: Date.now() + timeZoneCacheMs });
}

/** Forgets a workspace's time zone after it changed here. */
export const forgetTimeZone = (workspaceId: string) => timeZones.delete(workspaceId);

async function workspaceTimeZone(workspaceId: string): Promise<string> {
  const cached = timeZones.get(workspaceId);
  if (cached && cached.until > Date.now()) return cached.timeZone;
  const workspace = await getWorkspace(workspaceId);
  rememberTimeZone(workspaceId, workspace?.timeZone);
  return workspace?.timeZone ?? defaultTimeZone;
}

/** Today where the workspace works, when its time zone is known here without a read; else undefined. */
export function knownWorkspaceToday(workspaceId: string, now: string): string | undefined {
  const cached = timeZones.get(workspaceId);
  return cached && cached.until > Date.now() ? todayIn(cached.timeZone, now) : undefined;
}

/**
 * What a promise needs of the workspace, from its item read beside a route's
 * own keys: today where it works, and the bands whose commitments wait for
 * approval (read fresh, never cached: a change to who must approve applies to
 * the next commitment). Refreshes the time zone.
 */
export function workspaceDayFrom(workspaceId: string, item: Record<string, unknown> | undefined, now: string) {
  const workspace = item ? workspaces.parse(item) : undefined;
  rememberTimeZone(workspaceId, workspace?.timeZone);
  return {
    today: todayIn(workspace?.timeZone ?? defaultTimeZone, now),
    approvalBands: workspace?.approvalBands ?? [...defaultApprovalBands],
  };
}

/** The calendar day it is at `now` where the workspace works (its time zone). */
export async function workspaceToday(workspaceId: string, now: string): Promise<string> {
  return todayIn(await workspaceTimeZone(workspaceId), now);
}
