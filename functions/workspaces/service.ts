import { randomUUID } from 'node:crypto';
import { type ApprovalBand, approvalBandChoices, defaultApprovalBands } from '#contract/catalogue/approval';
import { type CsvDecimal, type CsvDelimiter, defaultCsvStyle } from '#contract/csv';
import { defaultTimeZone } from '#contract/dates';
import { refuse } from '#contract/refusal';
import { compareText } from '#contract/text-order';
import type { Caller, MemberView, WorkspaceSummary, WorkspaceView } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { tableName } from '#functions/table/client';
import { named, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import {
  defaultCurrency,
  getWorkspaceAndMember,
  memberItem,
  membershipsOf,
  type WorkspaceRecord,
  workspaceKey,
  workspaces,
} from './entities';
import { counterAttribute } from './limits';
import { forgetTimeZone } from './workspace-today';

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
    currency: defaultCurrency,
    csvDelimiter: defaultCsvStyle.delimiter,
    csvDecimal: defaultCsvStyle.decimal,
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
    .sort((a, b) => compareText(a.name, b.name));
}

/** The settings an admin may change; each is optional, the version is not. */
export interface WorkspaceSettingsChange {
  timeZone?: string;
  currency?: string;
  csvDelimiter?: CsvDelimiter;
  csvDecimal?: CsvDecimal;
  approvalBands?: ApprovalBand[];
  expectedVersion: number;
}

const settingNames = ['timeZone', 'currency', 'csvDelimiter', 'csvDecimal', 'approvalBands'] as const;

/** Changes the workspace's settings (time zone, currency, CSV style, the bands that need approval), conditional on its version. */
export async function updateWorkspaceSettings(
  workspaceId: string,
  change: WorkspaceSettingsChange,
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
    currency: change.currency ?? before.currency,
    csvDelimiter: change.csvDelimiter ?? before.csvDelimiter,
    csvDecimal: change.csvDecimal ?? before.csvDecimal,
    // Kept in the order the setting lists them, each once.
    approvalBands: approvalBandChoices.filter((band) => (change.approvalBands ?? before.approvalBands).includes(band)),
    version: before.version + 1,
  };
  const settings = (record: WorkspaceRecord) => Object.fromEntries(settingNames.map((name) => [name, record[name]]));
  try {
    await transactWrite([
      named('workspace', {
        Update: {
          TableName: tableName(),
          Key: workspaceKey(workspaceId),
          // Aliased: `timeZone` is a DynamoDB reserved word.
          UpdateExpression: `SET ${settingNames.map((name) => `#${name} = :${name}`).join(', ')}, version = :next`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: Object.fromEntries(settingNames.map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(settingNames.map((name) => [`:${name}`, after[name]])),
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
        before: settings(before),
        after: settings(after),
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
