import type { Refusal } from '#contract/refusal';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';

/** Sales managers enter the plan, and admins; every other member reads it. */
export function mayEditPlan(member: { role: MemberRole; function: MemberFunction }): Refusal | null {
  if (member.role === 'admin' || (member.role === 'manager' && member.function === 'sales')) return null;
  return { kind: 'forbidden', reason: 'Only sales managers and admins enter the sales plan' };
}
