import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { updateMember } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.updateMember, async ({ params, body, caller, now }) =>
  updateMember({ ...params, ...body }, caller, now),
);
