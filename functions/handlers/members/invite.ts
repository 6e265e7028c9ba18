import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { addMember } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.inviteMember, async ({ params, body, caller, now }) =>
  addMember({ workspaceId: params.workspaceId, ...body }, caller, now),
);
