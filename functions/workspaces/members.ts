import { refuse } from '#contract/refusal';
import type { Caller, MemberView } from '#contract/views';
import { adminCountDelta, lastAdminRefusal, type MemberFunction, type MemberRole } from '#contract/workspaces/members';
import { members } from '#functions/access/membership';
import { auditPut } from '#functions/table/audit-trail';
import { tableName } from '#functions/table/client';
import { named, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { adminCountUpdate, getMember, getWorkspace, getWorkspaceAndMember, memberItem, memberKey } from './entities';
import { capReached, workspaceCaps } from './limits';

export interface NewMember {
  workspaceId: string;
  email: string;
  name?: string;
  function: MemberFunction;
  role: MemberRole;
}

/** Adds a member; 409 when the email is already a member of the workspace. */
export async function addMember(input: NewMember, actor: Caller, now: string): Promise<MemberView> {
  return (await inviteMember(input, actor, now)).member;
}

/** Adds a member, and says the name of the workspace they were added to (for the invitation mail). */
export async function inviteMember(
  input: NewMember,
  actor: Caller,
  now: string,
): Promise<{ member: MemberView; workspaceName: string }> {
  const workspace = await getWorkspace(input.workspaceId);
  if (!workspace) throw refuse.notFound('Workspace not found');
  const member: MemberView = {
    workspaceId: input.workspaceId,
    email: input.email,
    name: input.name ?? input.email.split('@')[0] ?? input.email,
    function: input.function,
    role: input.role,
    invitedBy: actor.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await transactWrite([
      named('member', {
        Put: {
          TableName: tableName(),
          Item: memberItem(member, workspace.name),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }),
      named('counts', adminCountUpdate(input.workspaceId, adminCountDelta(null, member), now, 1)),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'member.invited',
        entity: 'member',
        entityId: member.email,
        after: member,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'member') {
      throw refuse.conflict(`${input.email} is already a member of this workspace`, {
        current: error.current ? members.parse(error.current) : undefined,
      });
    }
    if (error instanceof TransactionConditionFailed && error.part === 'counts') {
      throw capReached('members', workspaceCaps.members);
    }
    throw error;
  }
  return { member, workspaceName: workspace.name };
}

const changedSince = (expectedVersion: number, current: MemberView) =>
  refuse.conflict(`Member changed since version ${expectedVersion}; it is now version ${current.version}`, { current });

async function loadForChange(workspaceId: string, email: string, expectedVersion: number) {
  const found = await getWorkspaceAndMember(workspaceId, email);
  if (!found) throw refuse.notFound('Workspace not found');
  const { workspace, member, boundSub } = found;
  if (!member) throw refuse.notFound(`${email} is not a member of this workspace`);
  if (member.version !== expectedVersion) throw changedSince(expectedVersion, member);
  return { workspace, member, boundSub };
}

/**
 * Explains a lost race as 409 with the member as it now stands. DynamoDB
 * reports only the first failed condition, and under contention the engine
 * may report the admin-count guard or omit the old item; the member's own
 * version then decides, read once, so a stale writer always learns the
 * current state.
 */
async function lostRace(error: unknown, workspaceId: string, email: string, expectedVersion: number): Promise<never> {
  if (!(error instanceof TransactionConditionFailed) || (error.part !== 'member' && error.part !== 'counts')) throw error;
  const current = error.part === 'member' && error.current ? members.parse(error.current) : await getMember(workspaceId, email);
  if (error.part === 'counts' && current?.version === expectedVersion) {
    throw refuse.conflict('A workspace needs at least one admin: make another member admin first');
  }
  if (!current) throw refuse.notFound(`${email} is not a member of this workspace`);
  throw changedSince(expectedVersion, current);
}

/** Changes a member's function or role, conditional on the version the change was based on. */
export async function updateMember(
  input: { workspaceId: string; email: string; function?: MemberFunction; role?: MemberRole; expectedVersion: number },
  actor: Caller,
  now: string,
  attempt = 1,
): Promise<MemberView> {
  const { workspace, member, boundSub } = await loadForChange(input.workspaceId, input.email, input.expectedVersion);
  const after: MemberView = {
    ...member,
    function: input.function ?? member.function,
    role: input.role ?? member.role,
    updatedAt: now,
    version: member.version + 1,
  };
  const refusal = lastAdminRefusal(workspace.adminCount, member, after);
  if (refusal) throw refuse.conflict(refusal);
  try {
    await transactWrite([
      named('member', {
        Put: {
          TableName: tableName(),
          Item: memberItem(after, workspace.name, boundSub),
          // The put replaces the whole item: it must not drop a binding made since the read.
          ConditionExpression:
            boundSub === undefined ? 'version = :expected AND attribute_not_exists(#sub)' : 'version = :expected AND #sub = :sub',
          ExpressionAttributeNames: { '#sub': 'sub' },
          ExpressionAttributeValues: {
            ':expected': input.expectedVersion,
            ...(boundSub === undefined ? {} : { ':sub': boundSub }),
          },
        },
      }),
      named('counts', adminCountUpdate(input.workspaceId, adminCountDelta(member, after), now)),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'member.updated',
        entity: 'member',
        entityId: member.email,
        before: member,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (bindingRaced(error, input.expectedVersion) && attempt < 3) return updateMember(input, actor, now, attempt + 1);
    await lostRace(error, input.workspaceId, input.email, input.expectedVersion);
  }
  return after;
}

/** The member was bound to its identity between the read and the write, and nothing else changed: worth one more go. */
function bindingRaced(error: unknown, expectedVersion: number): boolean {
  return (
    error instanceof TransactionConditionFailed &&
    error.part === 'member' &&
    error.current?.version === expectedVersion &&
    typeof error.current?.sub === 'string'
  );
}

/** Removes a member, refusing to remove the last admin. */
export async function removeMember(
  input: { workspaceId: string; email: string; expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<void> {
  const { workspace, member } = await loadForChange(input.workspaceId, input.email, input.expectedVersion);
  const refusal = lastAdminRefusal(workspace.adminCount, member, null);
  if (refusal) throw refuse.conflict(refusal);
  try {
    await transactWrite([
      named('member', {
        Delete: {
          TableName: tableName(),
          Key: memberKey(input.workspaceId, input.email),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': input.expectedVersion },
        },
      }),
      named('counts', adminCountUpdate(input.workspaceId, adminCountDelta(member, null), now, -1)),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'member.removed',
        entity: 'member',
        entityId: member.email,
        before: member,
        at: now,
      }),
    ]);
  } catch (error) {
    await lostRace(error, input.workspaceId, input.email, input.expectedVersion);
  }
}
