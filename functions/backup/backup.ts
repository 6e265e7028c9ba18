/** Backups of a workspace: a signed, paged export (export.ts) and its restore as a new workspace (restore.ts). */
export { exportWorkspace } from './export';
export { restoredWorkspaceId, restoreWorkspace } from './restore';
