import type { ImportSummary, WorkspaceExport } from '../domain/backup';
import { importBody } from '../schemas/backup';
import { workspaceParams } from '../schemas/common';
import { admin, returns, route } from './define';

/** Whole-workspace backup and restore, for admins. */
export const backupRoutes = {
  exportWorkspace: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/export',
    handler: 'backup/export',
    summary: 'Every record of the workspace as one JSON document',
    access: admin,
    writes: false,
    params: workspaceParams,
    unpaged: 'a backup is one document; its size is bounded by the per-workspace caps',
    response: returns<WorkspaceExport>(),
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
