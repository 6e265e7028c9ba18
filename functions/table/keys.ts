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
