import { randomUUID } from 'node:crypto';
import { BatchGetCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { defaultTimeZone, todayIn } from '#contract/dates';
import type { Caller, MemberView, WorkspaceSummary, WorkspaceView } from '#contract/views';
import { adminCountDelta, lastAdminRefusal, type MemberFunction, type MemberRole } from '#contract/workspaces/members';
import { auditPut } from '#functions/audit/audit';
import { Conflict, NotFound } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { userGsiPk, workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { capReached, counterAttribute, workspaceCaps } from './limits';

/**
 * Workspaces and their members. A workspace item and its member items share
 * the workspace's partition; each member item is also indexed by email (gsi1)
 * so a person's workspaces are one Query, with the workspace name kept on the
 * member item for that list.
 */
export const workspaceKey = (workspaceId: string) => ({ pk: workspacePk(workspaceId), sk: 'WORKSPACE' });
export const memberKey = (workspaceId: string, email: string) => ({ pk: workspacePk(workspaceId), sk: `MEMBER#${email}` });

export type WorkspaceRecord = Omit<WorkspaceView, 'you'>;

function toWorkspace(item: Record<string, unknown>): WorkspaceRecord {
  return {
    id: item.id as string,
    name: item.name as string,
    createdAt: item.createdAt as string,
    createdBy: item.createdBy as string,
    adminCount: item.adminCount as number,
    timeZone: (item.timeZone as string | undefined) ?? defaultTimeZone,
    version: item.version as number,
  };
}

function toMember(item: Record<string, unknown>): MemberView {
  return {
    workspaceId: item.workspaceId as string,
    email: item.email as string,
    name: item.name as string,
    function: item.function as MemberFunction,
    role: item.role as MemberRole,
    invitedBy: item.invitedBy as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}

/**
 * A member item. `sub` is the identity the membership is bound to: set when
 * the workspace is created (its creator) or on the invitee's first request,
 * and kept on every later write of the item.
 */
export function memberItem(member: MemberView, workspaceName: string, sub?: string) {
  return {
    ...memberKey(member.workspaceId, member.email),
    gsi1pk: userGsiPk(member.email),
    gsi1sk: workspacePk(member.workspaceId),
    type: 'Member',
    workspaceName,
    ...member,
    ...(sub === undefined ? {} : { sub }),
  };
}

const boundSubOf = (item: Record<string, unknown>) => (typeof item.sub === 'string' ? item.sub : undefined);

/** Creates a workspace with its creator as first admin, in one transaction with its audit event. */
export async function createWorkspace(input: {
  name: string;
  timeZone?: string;
  creator: Caller;
  now: string;
}): Promise<WorkspaceView> {
  const workspace: WorkspaceRecord = {
    id: randomUUID(),
    name: input.name,
    createdAt: input.now,
    createdBy: input.creator.email,
    adminCount: 1,
    timeZone: input.timeZone ?? defaultTimeZone,
    version: 1,
  };
  const you: MemberView = {
    workspaceId: workspace.id,
    email: input.creator.email,
    name: input.creator.name,
    function: 'management',
    role: 'admin',
    invitedBy: input.creator.email,
    createdAt: input.now,
    updatedAt: input.now,
    version: 1,
  };
  await transactWrite([
    {
      Put: {
        TableName: tableName(),
        Item: { ...workspaceKey(workspace.id), type: 'Workspace', ...workspace, [counterAttribute('members')]: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: memberItem(you, workspace.name, input.creator.sub),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut({
      workspaceId: workspace.id,
      actor: input.creator,
      action: 'workspace.created',
      entity: 'workspace',
      entityId: workspace.id,
      after: workspace,
      at: input.now,
    }),
  ]);
  return { ...workspace, you };
}

export async function getWorkspace(workspaceId: string): Promise<WorkspaceRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: workspaceKey(workspaceId) }));
  return Item ? toWorkspace(Item) : undefined;
}

export async function getMember(workspaceId: string, email: string): Promise<MemberView | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: memberKey(workspaceId, email) }));
  return Item ? toMember(Item) : undefined;
}

/**
 * The caller's membership of a workspace, matched on the identity (`sub`) it
 * is bound to rather than on the email alone: an email can come back under
 * another identity (an account deleted and made again, a federated sign-in
 * with the same address), and that identity is not the member. The first
 * request of an invitee binds the membership to its `sub`, conditionally, so
 * two first requests at once bind it once and the loser is refused.
 */
export async function getMemberFor(workspaceId: string, caller: Pick<Caller, 'email' | 'sub'>): Promise<MemberView | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: memberKey(workspaceId, caller.email) }));
  if (!Item) return undefined;
  const bound = boundSubOf(Item);
  if (bound !== undefined) return bound === caller.sub ? toMember(Item) : undefined;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: memberKey(workspaceId, caller.email),
        UpdateExpression: 'SET #sub = :sub',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#sub)',
        ExpressionAttributeNames: { '#sub': 'sub' },
        ExpressionAttributeValues: { ':sub': caller.sub },
      }),
    );
    return toMember(Item);
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    // Removed meanwhile, or bound by another request first: read what won.
    const { Item: now } = await dynamo.send(
      new GetCommand({ TableName: tableName(), Key: memberKey(workspaceId, caller.email), ConsistentRead: true }),
    );
    return now && boundSubOf(now) === caller.sub ? toMember(now) : undefined;
  }
}

/** The workspace and one of its members in a single round trip. */
async function getWorkspaceAndMember(workspaceId: string, email: string) {
  const keys = [workspaceKey(workspaceId), memberKey(workspaceId, email)];
  const { Responses } = await dynamo.send(
    new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }),
  );
  const items = Responses?.[tableName()] ?? [];
  const workspace = items.find((item) => item.sk === 'WORKSPACE');
  const member = items.find((item) => item.sk !== 'WORKSPACE');
  if (!workspace) throw new NotFound('Workspace not found');
  return {
    workspace: toWorkspace(workspace),
    member: member ? toMember(member) : undefined,
    boundSub: member ? boundSubOf(member) : undefined,
  };
}

/** All members of a workspace, ordered by email. Bounded: a workspace has at most a few hundred members. */
export function listMembers(workspaceId: string): Promise<MemberView[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': 'MEMBER#' },
    },
    toMember,
  );
}

/** One page of a workspace's members, ordered by email. */
export function listMembersPage(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<MemberView>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': 'MEMBER#' },
    },
    page,
    toMember,
  );
}

/**
 * The workspaces a person belongs to, found by the email they sign in with.
 * Given their `sub`, memberships bound to another identity are left out.
 */
export async function listWorkspacesOf(email: string, sub?: string): Promise<WorkspaceSummary[]> {
  const summaries = await queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': userGsiPk(email) },
    },
    (item): WorkspaceSummary & { boundSub?: string } => ({
      id: item.workspaceId as string,
      name: item.workspaceName as string,
      function: item.function as MemberFunction,
      role: item.role as MemberRole,
      boundSub: boundSubOf(item),
    }),
  );
  return summaries
    .filter((summary) => sub === undefined || summary.boundSub === undefined || summary.boundSub === sub)
    .map(({ boundSub: _boundSub, ...summary }) => summary)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface NewMember {
  workspaceId: string;
  email: string;
  name?: string;
  function: MemberFunction;
  role: MemberRole;
}

/** Adds a member; 409 when the email is already a member of the workspace. */
export async function addMember(input: NewMember, actor: Caller, now: string): Promise<MemberView> {
  const workspace = await getWorkspace(input.workspaceId);
  if (!workspace) throw new NotFound('Workspace not found');
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
      {
        Put: {
          TableName: tableName(),
          Item: memberItem(member, workspace.name),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      adminCountUpdate(input.workspaceId, adminCountDelta(null, member), now, 1),
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
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`${input.email} is already a member of this workspace`, {
        current: error.current ? toMember(error.current) : undefined,
      });
    }
    if (error instanceof TransactionConditionFailed && error.index === 1) {
      throw capReached('members', workspaceCaps.members);
    }
    throw error;
  }
  return member;
}

/**
 * Keeps the workspace's admin and member counts exact. When an admin is lost
 * the condition refuses to go below one, so two admins demoting each other at
 * the same time cannot leave the workspace without one; a new member is
 * refused once the workspace holds its cap of members. (One update: a
 * transaction may touch the workspace item only once.)
 */
function adminCountUpdate(workspaceId: string, delta: number, now: string, memberDelta = 0) {
  const conditions = ['attribute_exists(pk)'];
  const values: Record<string, unknown> = { ':delta': delta, ':now': now, ':members': memberDelta, ':zero': 0 };
  if (delta < 0) {
    conditions.push('adminCount > :one');
    values[':one'] = 1;
  }
  if (memberDelta > 0) {
    conditions.push('(attribute_not_exists(#members) OR #members < :maxMembers)');
    values[':maxMembers'] = workspaceCaps.members;
  }
  return {
    Update: {
      TableName: tableName(),
      Key: workspaceKey(workspaceId),
      UpdateExpression:
        'SET adminCount = adminCount + :delta, #members = if_not_exists(#members, :zero) + :members, updatedAt = :now',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#members': counterAttribute('members') },
      ExpressionAttributeValues: values,
    },
  };
}

async function loadForChange(workspaceId: string, email: string, expectedVersion: number) {
  const { workspace, member, boundSub } = await getWorkspaceAndMember(workspaceId, email);
  if (!member) throw new NotFound(`${email} is not a member of this workspace`);
  if (member.version !== expectedVersion) {
    throw new Conflict(`Member changed since version ${expectedVersion}; it is now version ${member.version}`, {
      current: member,
    });
  }
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
  if (!(error instanceof TransactionConditionFailed) || error.index > 1) throw error;
  const current = error.index === 0 && error.current ? toMember(error.current) : await getMember(workspaceId, email);
  if (error.index === 1 && current?.version === expectedVersion) {
    throw new Conflict('A workspace needs at least one admin: make another member admin first');
  }
  if (!current) throw new NotFound(`${email} is not a member of this workspace`);
  throw new Conflict(`Member changed since version ${expectedVersion}; it is now version ${current.version}`, { current });
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
  if (refusal) throw new Conflict(refusal);
  try {
    await transactWrite([
      {
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
      },
      adminCountUpdate(input.workspaceId, adminCountDelta(member, after), now),
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
    error.index === 0 &&
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
  if (refusal) throw new Conflict(refusal);
  try {
    await transactWrite([
      {
        Delete: {
          TableName: tableName(),
          Key: memberKey(input.workspaceId, input.email),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': input.expectedVersion },
        },
      },
      adminCountUpdate(input.workspaceId, adminCountDelta(member, null), now, -1),
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

/**
 * How long a container keeps a workspace's time zone. It changes rarely (an
 * admin setting it once), and reading it on every date check would add a
 * request to routes whose cost is one request, such as the promise check; a
 * change thus takes up to this long to reach every running function.
 */
const timeZoneCacheMs = 60_000;
const timeZones = new Map<string, { timeZone: string; until: number }>();

async function workspaceTimeZone(workspaceId: string): Promise<string> {
  const cached = timeZones.get(workspaceId);
  if (cached && cached.until > Date.now()) return cached.timeZone;
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName(),
      Key: workspaceKey(workspaceId),
      ProjectionExpression: '#timeZone',
      ExpressionAttributeNames: { '#timeZone': 'timeZone' },
    }),
  );
  const timeZone = (Item?.timeZone as string | undefined) ?? defaultTimeZone;
  if (timeZones.size > 1000) timeZones.clear();
  timeZones.set(workspaceId, { timeZone, until: Date.now() + timeZoneCacheMs });
  return timeZone;
}

/** The calendar day it is at `now` where the workspace works (its time zone). */
export async function workspaceToday(workspaceId: string, now: string): Promise<string> {
  return todayIn(await workspaceTimeZone(workspaceId), now);
}

/** Changes the workspace's settings (its time zone), conditional on its version. */
export async function updateWorkspaceSettings(
  workspaceId: string,
  change: { timeZone: string; expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<WorkspaceView> {
  const { workspace: before, member } = await getWorkspaceAndMember(workspaceId, actor.email);
  if (!member) throw new NotFound('Workspace not found');
  if (before.version !== change.expectedVersion) {
    throw new Conflict(`The workspace changed since version ${change.expectedVersion}`, { current: before });
  }
  const after: WorkspaceRecord = { ...before, timeZone: change.timeZone, version: before.version + 1 };
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: workspaceKey(workspaceId),
          // `timeZone` is a DynamoDB reserved word.
          UpdateExpression: 'SET #timeZone = :timeZone, version = :next',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: { '#timeZone': 'timeZone' },
          ExpressionAttributeValues: { ':timeZone': after.timeZone, ':next': after.version, ':expected': change.expectedVersion },
        },
      },
      auditPut({
        workspaceId,
        actor,
        action: 'workspace.updated',
        entity: 'workspace',
        entityId: workspaceId,
        before: { timeZone: before.timeZone },
        after: { timeZone: after.timeZone },
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The workspace changed since version ${change.expectedVersion}`, {
        current: error.current ? toWorkspace(error.current) : undefined,
      });
    }
    throw error;
  }
  timeZones.delete(workspaceId);
  return { ...after, you: member };
}

/** The workspace with the caller's membership, as the workspace screen shows it. */
export async function getWorkspaceFor(workspaceId: string, email: string): Promise<WorkspaceView> {
  const { workspace, member } = await getWorkspaceAndMember(workspaceId, email);
  if (!member) throw new NotFound('Workspace not found');
  return { ...workspace, you: member };
}

/**
 * A transaction part that holds only while the member still has this
 * function and role: a signature counts for what its signer was when it was
 * written, so a change of membership racing it fails the signature instead.
 */
export function membershipUnchanged(
  member: Pick<MemberView, 'workspaceId' | 'email' | 'function' | 'role'>,
): NonNullable<Parameters<typeof transactWrite>[0]>[number] {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: memberKey(member.workspaceId, member.email),
      ConditionExpression: '#function = :function AND #role = :role',
      ExpressionAttributeNames: { '#function': 'function', '#role': 'role' },
      ExpressionAttributeValues: { ':function': member.function, ':role': member.role },
    },
  };
}
