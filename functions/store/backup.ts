import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { exportFormat, exportVersion, type ImportSummary, maxImportRecords, type WorkspaceExport } from '../domain/backup';
import type { Caller } from '../domain/views';
import { Conflict, LimitExceeded, NotFound } from '../lib/errors';
import { auditPut } from './audit';
import { dynamo, tableName } from './client';
import { workspacePk } from './keys';
import { counterAttribute } from './limits';
import { queryAll } from './pages';
import { TransactionConditionFailed, transactWrite } from './transactions';

/** Idempotency records are answers to past requests, not workspace data: they stay behind. */
const notData = new Set(['IdempotencyRecord']);

async function partition(pk: string): Promise<Record<string, unknown>[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    },
    (item) => item,
  );
}

/**
 * The item collections a workspace keeps beside its own partition, each
 * found from a record that owns it: a portfolio item its thresholds and
 * commitments, an issue its occurrences, a cycle (or a cycle id an issue or
 * meeting names) its votes and frozen rankings, a meeting its agenda and
 * outcomes. Meetings are found through their list index.
 */
async function childPartitions(workspaceId: string, records: Record<string, unknown>[]): Promise<string[]> {
  const base = workspacePk(workspaceId);
  const children = new Set<string>();
  for (const record of records) {
    if (record.type === 'PortfolioItem') children.add(`${base}#ITEM#${String(record.id)}`);
    if (record.type === 'MisalignmentIssue') children.add(`${base}#ISSUE#${String(record.id)}`);
    if (record.type === 'BudgetCycle') children.add(`${base}#CYCLE#${String(record.id)}`);
    if (typeof record.cycleId === 'string' && record.cycleId !== '') children.add(`${base}#CYCLE#${record.cycleId}`);
  }
  const meetings = await queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `${base}#MEETINGS` },
    },
    (item) => String(item.pk),
  );
  for (const pk of meetings) children.add(pk);
  return [...children].sort();
}

export async function exportWorkspace(workspaceId: string, now: string): Promise<WorkspaceExport> {
  const own = await partition(workspacePk(workspaceId));
  const children: Record<string, unknown>[] = [];
  for (const pk of await childPartitions(workspaceId, own)) children.push(...(await partition(pk)));
  const records = [...own, ...children].filter((item) => !notData.has(String(item.type)));
  return { format: exportFormat, version: exportVersion, workspaceId, exportedAt: now, records };
}

/** Ids are UUIDs, so replacing the old workspace id wherever it appears cannot touch anything else. */
function rewrite(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((entry) => rewrite(entry, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [rewrite(key, from, to), rewrite(entry, from, to)]));
  }
  return value;
}

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;

/**
 * Restores an export into an empty workspace (one that holds only itself,
 * the importing admin and audit events), rewriting the old workspace id to
 * the new one everywhere. Records are written in batches and the workspace
 * item last, in one transaction with the audit event; importing the same
 * export again after an interruption completes it.
 */
export async function importWorkspace(
  workspaceId: string,
  data: WorkspaceExport,
  actor: Caller,
  now: string,
): Promise<ImportSummary> {
  if (data.records.length > maxImportRecords) {
    throw new LimitExceeded(`An import takes at most ${maxImportRecords} records`, {
      limit: 'import.records',
      max: maxImportRecords,
    });
  }
  const sourcePk = workspacePk(data.workspaceId);
  const records = data.records.map((record, index) => {
    const inWorkspace = record.pk === sourcePk || String(record.pk).startsWith(`${sourcePk}#`);
    if (!inWorkspace || typeof record.sk !== 'string' || record.sk === '') {
      throw new Conflict(`Record ${index} does not belong to the exported workspace ${data.workspaceId}`);
    }
    return rewrite(record, data.workspaceId, workspaceId) as Record<string, unknown>;
  });
  const sourceWorkspace = records.find((record) => record.sk === 'WORKSPACE');
  if (!sourceWorkspace) throw new Conflict('The export holds no workspace record');

  const existing = await partition(workspacePk(workspaceId));
  const target = existing.find((item) => item.sk === 'WORKSPACE');
  if (!target) throw new NotFound('Workspace not found');
  const incoming = new Set(records.map(keyOf));
  const allowed = (item: Record<string, unknown>) =>
    item.sk === 'WORKSPACE' ||
    item.type === 'AuditEvent' ||
    notData.has(String(item.type)) ||
    (item.type === 'Member' && item.email === actor.email) ||
    incoming.has(keyOf(item));
  const blocking = existing.filter((item) => !allowed(item));
  if (blocking.length > 0) {
    throw new Conflict(`Import needs an empty workspace; this one already holds ${blocking.length} records`);
  }

  // The importing admin stays an admin: their own record from the export
  // replaces the current one only when it is an admin record too.
  const ownKey = keyOf({ pk: workspacePk(workspaceId), sk: `MEMBER#${actor.email}` });
  const toWrite = records.filter((record) => record.sk !== 'WORKSPACE' && (keyOf(record) !== ownKey || record.role === 'admin'));
  for (let start = 0; start < toWrite.length; start += 25) {
    let requests = toWrite.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed items during the import');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = (result.UnprocessedItems?.[tableName()] ?? []) as typeof requests;
    }
  }

  const members = new Map<string, Record<string, unknown>>();
  for (const item of [...existing, ...toWrite]) {
    if (item.type === 'Member') members.set(String(item.email), item);
  }
  const byType: Record<string, number> = {};
  for (const record of records) byType[String(record.type)] = (byType[String(record.type)] ?? 0) + 1;
  const workspaceName = String(sourceWorkspace.name);
  const { pk: _pk, sk: _sk, id: _id, version: _version, ...kept } = sourceWorkspace;
  const merged = {
    ...kept,
    ...target,
    name: workspaceName,
    createdAt: sourceWorkspace.createdAt,
    createdBy: sourceWorkspace.createdBy,
    adminCount: [...members.values()].filter((member) => member.role === 'admin').length,
    [counterAttribute('members')]: members.size,
    importedFrom: data.workspaceId,
    updatedAt: now,
    version: Number(target.version) + 1,
  };
  for (const [key, value] of Object.entries(kept)) {
    if (key.endsWith('Count') && key !== 'adminCount' && key !== counterAttribute('members')) merged[key] = value;
  }
  const own = members.get(actor.email);
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: merged,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': target.version },
        },
      },
      ...(own && own.workspaceName !== workspaceName
        ? [
            {
              Update: {
                TableName: tableName(),
                Key: { pk: own.pk, sk: own.sk },
                UpdateExpression: 'SET workspaceName = :name',
                ExpressionAttributeValues: { ':name': workspaceName },
              },
            },
          ]
        : []),
      auditPut({
        workspaceId,
        actor,
        action: 'workspace.imported',
        entity: 'workspace',
        entityId: workspaceId,
        after: { from: data.workspaceId, exportedAt: data.exportedAt, records: records.length, byType },
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict('The workspace changed during the import; import again');
    }
    throw error;
  }
  return { workspaceId, imported: records.length, byType };
}
