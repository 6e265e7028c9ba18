import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { mailInvitation } from '#functions/workspaces/invitation';
import { inviteMember } from '#functions/workspaces/members';

export const handler = defineHandler(workspaceRoutes.inviteMember, async ({ params, body, caller, now }) => {
  const { member, workspaceName } = await inviteMember({ workspaceId: params.workspaceId, ...body }, caller, now);
  await mailInvitation(member, workspaceName, caller);
  return member;
});
