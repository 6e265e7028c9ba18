import { defineHandler } from '../../lib/http';
import { backupRoutes } from '../../routes/backup';
import { restoreWorkspace } from '../../store/backup';

export const handler = defineHandler(backupRoutes.restoreWorkspace, async ({ body, caller, now }) =>
  restoreWorkspace(body, caller, now),
);
