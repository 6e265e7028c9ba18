import type { ImportSummary, WorkspaceExportPage } from '../domain/backup';
import { exportQuery, importBody } from '../schemas/backup';
import { workspaceParams } from '../schemas/common';
import { admin, returns, route } from './define';

/** Whole-workspace backup and restore, for admins. */
export const backupRoutes = {
  exportWorkspace: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/export',
    handler: 'backup/export',
    summary: 'Every record of the workspace, a page at a time; the pages’ records together are the backup',
    access: admin,
    writes: false,
    params: workspaceParams,
    query: exportQuery,
    unpaged: 'pages by the item collections it reads (`nextCursor`), not by a record count',
    response: returns<WorkspaceExportPage>(),
  }),
  importWorkspace: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/import',
    handler: 'backup/import',
    summary: 'Restore an export into this workspace, which must be empty',
    access: admin,
    writes: true,
    params: workspaceParams,
    body: importBody,
    maxBodyBytes: 5 * 1024 * 1024,
    response: returns<ImportSummary>(),
  }),
};
