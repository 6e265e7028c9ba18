import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { createWorkspace } from '#functions/workspaces/service';

export const handler = defineHandler(workspaceRoutes.createWorkspace, async ({ body, caller, now }) =>
  createWorkspace({ name: body.name, timeZone: body.timeZone, creator: caller, now }),
);
