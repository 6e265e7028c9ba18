import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import type { Caller, MemberView } from '#contract/views';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, indexKey } from '#functions/table/entity';
import { memberKey, userGsiPk, workspacePk } from '#functions/table/keys';

/**
 * The member record, as the request kernel's membership check reads it and
 * the workspaces area writes it. A member item lives in its workspace's
 * partition and is also indexed by email (gsi1), so a person's workspaces
 * are one Query.
 */
export const members = defineEntity({
  type: 'Member',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      email: z.string(),
      name: z.string(),
      function: z.enum(memberFunctions),
      role: z.enum(memberRoles),
      invitedBy: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
      version: z.number(),
    }),
  ),
  keys: (member) => ({
    ...memberKey(member.workspaceId, member.email),
    ...indexKey(userGsiPk(member.email), workspacePk(member.workspaceId)),
  }),
});

/** The identity a member item is bound to, if any (see getMemberFor). */
export const boundSubOf = (item: Record<string, unknown>) => (typeof item.sub === 'string' ? item.sub : undefined);

/** A member item as stored (with its binding), read strongly when `consistent`. */
export async function getMemberItem(workspaceId: string, email: string, consistent = false) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: memberKey(workspaceId, email), ConsistentRead: consistent || undefined }),
  );
  return Item;
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
  const item = await getMemberItem(workspaceId, caller.email);
  if (!item) return undefined;
  const bound = boundSubOf(item);
  if (bound !== undefined) return bound === caller.sub ? members.parse(item) : undefined;
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
    return members.parse(item);
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
    // Removed meanwhile, or bound by another request first: read what won.
    const now = await getMemberItem(workspaceId, caller.email, true);
    return now && boundSubOf(now) === caller.sub ? members.parse(now) : undefined;
  }
}
