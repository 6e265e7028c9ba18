import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { createWorkspace } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.createWorkspace, async ({ body, caller, now }) =>
  createWorkspace({ name: body.name, timeZone: body.timeZone, creator: caller, now }),
);
