import { backupRoutes } from '#contract/backup/routes';
import { exportWorkspace } from '#functions/backup/backup';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(backupRoutes.exportWorkspace, async ({ params, query, now }) =>
  exportWorkspace(params.workspaceId, now, query.cursor),
);
