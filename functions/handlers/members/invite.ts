import { defineHandler } from '../../lib/http';
import { mailInvitation } from '../../mail/invitation';
import { workspaceRoutes } from '../../routes/workspaces';
import { addMember } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.inviteMember, async ({ params, body, caller, now }) => {
  const member = await addMember({ workspaceId: params.workspaceId, ...body }, caller, now);
  await mailInvitation(member, caller);
  return member;
});
