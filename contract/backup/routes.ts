import { workspaceParams } from '#contract/common';
import { admin, returns, route } from '#contract/define';
import type { RestoreSummary, WorkspaceExportPage } from './backup';
import { exportQuery, restoreBody } from './schemas';

/** Whole-workspace backup, for admins, and its restore as a new workspace. */
export const backupRoutes = {
  exportWorkspace: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/export',
    handler: 'backup/export',
    bulk: true,
    summary: 'Every record of the workspace, a page at a time; the pages’ records together are the backup',
    access: admin,
    writes: false,
    params: workspaceParams,
    query: exportQuery,
    unpaged: 'pages by the item collections it reads (`nextCursor`), not by a record count',
    response: returns<WorkspaceExportPage>(),
  }),
  restoreWorkspace: route({
    method: 'POST',
    path: '/workspaces/restore',
    handler: 'backup/restore',
    bulk: true,
    summary: 'Restore a backup as a new workspace; the restoring person becomes its admin',
    access: { kind: 'signedIn' },
    writes: true,
    status: 201,
    body: restoreBody,
    maxBodyBytes: 5 * 1024 * 1024,
    references: {
      'body.workspaceId': { notAReference: 'the workspace the backup was exported from; restore creates a new one' },
      'body.exportId': { notAReference: 'names the export the backup came from, checked by its signature, not a record' },
    },
    response: returns<RestoreSummary>(),
  }),
};
