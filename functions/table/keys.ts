import { itemKey } from './entity';

/**
 * Key formats shared by every entity of a workspace. Every partition key of
 * workspace data begins with the workspace id, so a key built for one
 * workspace can never reach another's items.
 */
export const workspacePk = (workspaceId: string) => `WS#${workspaceId}`;

/** Index partition that lists the workspaces a person (by email) belongs to. */
export const userGsiPk = (email: string) => `USER#${email}`;

/**
 * The partition of a workspace's audit events. They are the one record kind
 * that only ever grows, with every write; kept apart from the workspace's
 * own partition, a read of its members, items or issues never steps over
 * them, and the audit trail reads as one key range of its own.
 */
export const auditPk = (workspaceId: string) => `${workspacePk(workspaceId)}#AUDIT`;

/*
 * Records that a write may name by id (checked inside the write: references.ts),
 * keyed here below every area, so the reference check needs no area of its own.
 * Each area's entities module builds its records' keys with these.
 */
export const cycleSkPrefix = 'CYCLE#';
export const cycleKey = (workspaceId: string, cycleId: string) => itemKey(workspacePk(workspaceId), `${cycleSkPrefix}${cycleId}`);
export const issuePrefix = 'ISSUE#';
export const issueKey = (workspaceId: string, issueId: string) => itemKey(workspacePk(workspaceId), `${issuePrefix}${issueId}`);
export const meetingPk = (workspaceId: string, meetingId: string) => `${workspacePk(workspaceId)}#MEETING#${meetingId}`;
export const meetingKey = (workspaceId: string, meetingId: string) => itemKey(meetingPk(workspaceId, meetingId), 'MEETING');
export const agendaKey = (workspaceId: string, meetingId: string, entryId: string) =>
  itemKey(meetingPk(workspaceId, meetingId), `AGENDA#${entryId}`);
export const memberKey = (workspaceId: string, email: string) => itemKey(workspacePk(workspaceId), `MEMBER#${email}`);
/** A portfolio item, which also names its thresholds. */
export const portfolioItemKey = (workspaceId: string, itemId: string) => itemKey(workspacePk(workspaceId), `ITEM#${itemId}`);
