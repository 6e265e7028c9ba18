/**
 * The workspaces area as other areas and tests use it: records in
 * entities.ts, the workspace's day in workspace-today.ts, use cases in
 * service.ts and members.ts. The caller's membership, which the request
 * kernel checks, is read in functions/access/membership.ts.
 */
export {
  getMember,
  getWorkspace,
  listMembers,
  listMembersPage,
  memberItem,
  memberKey,
  membershipUnchanged,
  type WorkspaceRecord,
  workspaceKey,
} from './entities';
export { addMember, type NewMember, removeMember, updateMember } from './members';
export { createWorkspace, getWorkspaceFor, listWorkspacesOf, updateWorkspaceSettings } from './service';
export { knownWorkspaceToday, workspaceDayFrom, workspaceToday } from './workspace-today';
