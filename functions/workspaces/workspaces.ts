/**
 * The workspaces area as other areas and tests use it: records in
 * entities.ts, the caller's membership in membership.ts, use cases in
 * service.ts and members.ts.
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
export {
  getMemberFor,
  knownWorkspaceToday,
  workspaceDayFrom,
  workspaceToday,
} from './membership';
export { createWorkspace, getWorkspaceFor, listWorkspacesOf, updateWorkspaceSettings } from './service';
