import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { updateMember } from '#functions/workspaces/members';

export const handler = defineHandler(workspaceRoutes.updateMember, async ({ params, body, caller, now }) =>
  updateMember({ ...params, ...body }, caller, now),
);
