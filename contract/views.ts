import type { MemberFunction, MemberRole } from '#contract/workspaces/members';

/** Shapes the API answers with; the web client is typed from these through the route table. */
export interface MemberView {
  workspaceId: string;
  email: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
  invitedBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface WorkspaceView {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
  adminCount: number;
  /** IANA time zone whose calendar days the workspace's dates are in ("today" for occurrences, due dates). */
  timeZone: string;
  version: number;
  /** The caller's own membership. */
  you: MemberView;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
}

export interface MeView {
  email: string;
  name: string;
  workspaces: WorkspaceSummary[];
}

/** The signed-in person, as the JWT authorizer's claims describe them. */
export interface Caller {
  sub: string;
  email: string;
  name: string;
}
