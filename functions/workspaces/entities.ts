import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { approvalBandChoices, defaultApprovalBands } from '#contract/catalogue/approval';
import { csvDecimalNames, csvDelimiterNames, defaultCsvStyle } from '#contract/csv';
import { defaultTimeZone } from '#contract/dates';
import { lazySchema } from '#contract/lazy-schema';
import type { MemberView, WorkspaceSummary, WorkspaceView } from '#contract/views';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';
import { boundSubOf, getMemberItem, members } from '#functions/access/membership';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, itemKey } from '#functions/table/entity';
import { memberKey, userGsiPk, workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import type { TransactItem } from '#functions/table/transactions';
import { counterAttribute, workspaceCaps } from './limits';

/**
 * Workspaces and their members. A workspace item and its member items share
 * the workspace's partition; each member item is also indexed by email (gsi1)
 * so a person's workspaces are one Query, with the workspace name kept on the
 * member item for that list. The member record itself, which the request
 * kernel's membership check reads, is defined in functions/access.
 */
/** The currency of a workspace that has not chosen one, as thresholds default to. */
export const defaultCurrency = 'EUR';

export const workspaceKey = (workspaceId: string) => itemKey(workspacePk(workspaceId), 'WORKSPACE');

export type WorkspaceRecord = Omit<WorkspaceView, 'you'>;

export const workspaces = defineEntity({
  type: 'Workspace',
  schema: lazySchema(() =>
    z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      createdBy: z.string(),
      adminCount: z.number(),
      timeZone: z._default(z.string(), defaultTimeZone),
      // Workspaces created before these settings read with the defaults.
      currency: z._default(z.string(), defaultCurrency),
      csvDelimiter: z._default(z.enum(csvDelimiterNames), defaultCsvStyle.delimiter),
      csvDecimal: z._default(z.enum(csvDecimalNames), defaultCsvStyle.decimal),
      approvalBands: z._default(z.array(z.enum(approvalBandChoices)), () => [...defaultApprovalBands]),
      version: z.number(),
    }),
  ),
  keys: (workspace) => workspaceKey(workspace.id),
});

/** What a person's index entry says about one of their workspaces. */
const membershipSummary = lazySchema(() =>
  z.object({
    workspaceId: z.string(),
    workspaceName: z.string(),
    function: z.enum(memberFunctions),
    role: z.enum(memberRoles),
    sub: z.optional(z.string()),
  }),
);

/**
 * A member item. `sub` is the identity the membership is bound to: set when
 * the workspace is created (its creator) or on the invitee's first request,
 * and kept on every later write of the item.
 */
export function memberItem(member: MemberView, workspaceName: string, sub?: string) {
  return members.item(member, { workspaceName, ...(sub === undefined ? {} : { sub }) });
}

export async function getWorkspace(workspaceId: string): Promise<WorkspaceRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: workspaceKey(workspaceId) }));
  return Item ? workspaces.parse(Item) : undefined;
}

export async function getMember(workspaceId: string, email: string): Promise<MemberView | undefined> {
  const item = await getMemberItem(workspaceId, email);
  return item ? members.parse(item) : undefined;
}

/** The workspace and one of its members in a single round trip; undefined when there is no such workspace. */
export async function getWorkspaceAndMember(workspaceId: string, email: string) {
  const keys = [workspaceKey(workspaceId), memberKey(workspaceId, email)];
  const { Responses } = await dynamo.send(
    new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }),
  );
  const items = Responses?.[tableName()] ?? [];
  const workspace = items.find((item) => item.sk === 'WORKSPACE');
  const member = items.find((item) => item.sk !== 'WORKSPACE');
  if (!workspace) return undefined;
  return {
    workspace: workspaces.parse(workspace),
    member: member ? members.parse(member) : undefined,
    boundSub: member ? boundSubOf(member) : undefined,
  };
}

const membersQuery = (workspaceId: string) => ({
  TableName: tableName(),
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
  ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': 'MEMBER#' },
});

/** All members of a workspace, ordered by email. Bounded: a workspace has at most a few hundred members. */
export function listMembers(workspaceId: string): Promise<MemberView[]> {
  return queryAll(membersQuery(workspaceId), members.parse);
}

/** One page of a workspace's members, ordered by email. */
export function listMembersPage(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<MemberView>> {
  return queryPage(membersQuery(workspaceId), page, members.parse);
}

/** A person's memberships by email, each with the identity it is bound to. */
export async function membershipsOf(email: string): Promise<Array<WorkspaceSummary & { boundSub?: string }>> {
  return queryAll(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: `${gsi1.pk} = :pk`,
      ExpressionAttributeValues: { ':pk': userGsiPk(email) },
    },
    (item) => {
      const summary = membershipSummary.parse(item);
      return {
        id: summary.workspaceId,
        name: summary.workspaceName,
        function: summary.function,
        role: summary.role,
        boundSub: summary.sub,
      };
    },
  );
}

/**
 * Keeps the workspace's admin and member counts exact. When an admin is lost
 * the condition refuses to go below one, so two admins demoting each other at
 * the same time cannot leave the workspace without one; a new member is
 * refused once the workspace holds its cap of members. (One update: a
 * transaction may touch the workspace item only once.)
 */
export function adminCountUpdate(workspaceId: string, delta: number, now: string, memberDelta = 0): TransactItem {
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

/**
 * A transaction part that holds only while the member still has this
 * function and role: a signature counts for what its signer was when it was
 * written, so a change of membership racing it fails the signature instead.
 */
export function membershipUnchanged(member: Pick<MemberView, 'workspaceId' | 'email' | 'function' | 'role'>): TransactItem {
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

export { memberKey };
