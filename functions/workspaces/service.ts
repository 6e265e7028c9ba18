import { randomUUID } from 'node:crypto';
import { type ApprovalBand, approvalBandChoices, defaultApprovalBands } from '#contract/catalogue/approval';
import { defaultTimeZone } from '#contract/dates';
import { refuse } from '#contract/refusal';
import type { Caller, MemberView, WorkspaceSummary, WorkspaceView } from '#contract/views';
import { auditPut } from '#functions/audit/audit';
import { tableName } from '#functions/table/client';
import { named, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { getWorkspaceAndMember, memberItem, membershipsOf, type WorkspaceRecord, workspaceKey, workspaces } from './entities';
import { counterAttribute } from './limits';
import { forgetTimeZone } from './membership';

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
    approvalBands: [...defaultApprovalBands],
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
    workspaces.put(workspace, { extra: { [counterAttribute('members')]: 1 }, condition: 'attribute_not_exists(pk)' }),
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

/** The workspace with the caller's membership, as the workspace screen shows it. */
export async function getWorkspaceFor(workspaceId: string, email: string): Promise<WorkspaceView> {
  const found = await getWorkspaceAndMember(workspaceId, email);
  if (!found?.member) throw refuse.notFound('Workspace not found');
  return { ...found.workspace, you: found.member };
}

/**
 * The workspaces a person belongs to, found by the email they sign in with.
 * Given their `sub`, memberships bound to another identity are left out.
 */
export async function listWorkspacesOf(email: string, sub?: string): Promise<WorkspaceSummary[]> {
  const summaries = await membershipsOf(email);
  return summaries
    .filter((summary) => sub === undefined || summary.boundSub === undefined || summary.boundSub === sub)
    .map(({ boundSub: _boundSub, ...summary }) => summary)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Changes the workspace's settings (its time zone, the bands that need approval), conditional on its version. */
export async function updateWorkspaceSettings(
  workspaceId: string,
  change: { timeZone?: string; approvalBands?: ApprovalBand[]; expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<WorkspaceView> {
  const found = await getWorkspaceAndMember(workspaceId, actor.email);
  if (!found?.member) throw refuse.notFound('Workspace not found');
  const { workspace: before, member } = found;
  const changed = () => refuse.conflict(`The workspace changed since version ${change.expectedVersion}`, { current: before });
  if (before.version !== change.expectedVersion) throw changed();
  const after: WorkspaceRecord = {
    ...before,
    timeZone: change.timeZone ?? before.timeZone,
    // Kept in the order the setting lists them, each once.
    approvalBands: approvalBandChoices.filter((band) => (change.approvalBands ?? before.approvalBands).includes(band)),
    version: before.version + 1,
  };
  try {
    await transactWrite([
      named('workspace', {
        Update: {
          TableName: tableName(),
          Key: workspaceKey(workspaceId),
          // `timeZone` is a DynamoDB reserved word.
          UpdateExpression: 'SET #timeZone = :timeZone, approvalBands = :bands, version = :next',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: { '#timeZone': 'timeZone' },
          ExpressionAttributeValues: {
            ':timeZone': after.timeZone,
            ':bands': after.approvalBands,
            ':next': after.version,
            ':expected': change.expectedVersion,
          },
        },
      }),
      auditPut({
        workspaceId,
        actor,
        action: 'workspace.updated',
        entity: 'workspace',
        entityId: workspaceId,
        before: { timeZone: before.timeZone, approvalBands: before.approvalBands },
        after: { timeZone: after.timeZone, approvalBands: after.approvalBands },
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'workspace') {
      throw refuse.conflict(`The workspace changed since version ${change.expectedVersion}`, {
        current: error.current ? workspaces.parse(error.current) : undefined,
      });
    }
    throw error;
  }
  forgetTimeZone(workspaceId);
  return { ...after, you: member };
}
