import { defineHandler } from '../../lib/http';
import { backupRoutes } from '../../routes/backup';
import { exportWorkspace } from '../../store/backup';

export const handler = defineHandler(backupRoutes.exportWorkspace, async ({ params, query, now }) =>
  exportWorkspace(params.workspaceId, now, query.cursor),
);
