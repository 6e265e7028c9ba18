/**
 * Key formats shared by every entity of a workspace. Every partition key of
 * workspace data begins with the workspace id, so a key built for one
 * workspace can never reach another's items.
 */
export const workspacePk = (workspaceId: string) => `WS#${workspaceId}`;

/** Index partition that lists the workspaces a person (by email) belongs to. */
export const userGsiPk = (email: string) => `USER#${email}`;
