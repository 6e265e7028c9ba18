/**
 * Who a member is in a workspace and what that allows. Pure rules, no I/O.
 */
export const memberFunctions = ['sales', 'operations', 'marketing', 'finance', 'management'] as const;
export type MemberFunction = (typeof memberFunctions)[number];

export const memberRoles = ['admin', 'manager', 'rep'] as const;
export type MemberRole = (typeof memberRoles)[number];

export interface Member {
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

/** Who may call a route, declared once per route in the route table. */
export type Access =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | { kind: 'member'; roles?: readonly MemberRole[]; functions?: readonly MemberFunction[] };

/** Emails identify people across workspaces; compare them in one canonical form. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Why a member may not call a route, or null when they may. The reason is
 * shown to the caller, so it names the role or function that is missing.
 */
export function accessRefusal(access: Access, member: Pick<Member, 'role' | 'function'>): string | null {
  if (access.kind !== 'member') return null;
  if (access.roles && !access.roles.includes(member.role)) {
    return `This needs the role ${access.roles.join(' or ')}; you are ${member.role}`;
  }
  if (access.functions && !access.functions.includes(member.function)) {
    return `This needs the function ${access.functions.join(' or ')}; you are in ${member.function}`;
  }
  return null;
}

/**
 * A workspace must always keep an admin, or nobody could invite or change
 * members again. Returns why a change is refused, or null when it is fine.
 */
export function lastAdminRefusal(
  adminCount: number,
  before: Pick<Member, 'role'>,
  after: Pick<Member, 'role'> | null,
): string | null {
  const losesAdmin = before.role === 'admin' && (after === null || after.role !== 'admin');
  if (losesAdmin && adminCount <= 1) {
    return 'A workspace needs at least one admin: make another member admin first';
  }
  return null;
}

/** Change in the workspace's admin count that a member change causes. */
export function adminCountDelta(before: Pick<Member, 'role'> | null, after: Pick<Member, 'role'> | null): number {
  const was = before?.role === 'admin' ? 1 : 0;
  const is = after?.role === 'admin' ? 1 : 0;
  return is - was;
}
