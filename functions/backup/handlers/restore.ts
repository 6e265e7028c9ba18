import { backupRoutes } from '#contract/backup/routes';
import { restoreWorkspace } from '#functions/backup/backup';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(backupRoutes.restoreWorkspace, async ({ body, caller, now }) =>
  restoreWorkspace(body, caller, now),
);
