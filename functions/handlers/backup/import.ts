import { defineHandler } from '../../lib/http';
import { backupRoutes } from '../../routes/backup';
import { importWorkspace } from '../../store/backup';

export const handler = defineHandler(backupRoutes.importWorkspace, async ({ params, body, caller, now }) =>
  importWorkspace(params.workspaceId, body, caller, now),
);
