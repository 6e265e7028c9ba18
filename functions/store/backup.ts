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
 * How many partition reads an export keeps in flight. Each item collection
 * is its own Query, so a workspace with hundreds of items and issues would
 * otherwise wait for hundreds of round trips one after another; a bounded
 * number keeps well inside the SDK's socket pool (50) and spreads the reads
 * without a burst on one table partition.
 */
const exportConcurrency = 16;

/** `fn` over every item, at most `limit` at once; results in the items' order. */
async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The partitions of the workspace's meetings, from their list index (keys only: the items come with their partitions). */
async function meetingPartitions(workspaceId: string): Promise<string[]> {
  return queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `${workspacePk(workspaceId)}#MEETINGS` },
      ProjectionExpression: 'pk',
    },
    (item) => String(item.pk),
  );
}

/**
 * The item collections a workspace keeps beside its own partition, each
 * found from a record that owns it: a portfolio item its thresholds and
 * commitments, an issue its occurrences, a cycle (or a cycle id an issue or
 * meeting names) its votes and frozen rankings, a meeting its agenda and
 * outcomes (found through their list index).
 */
function childPartitions(workspaceId: string, records: Record<string, unknown>[], meetings: string[]): string[] {
  const base = workspacePk(workspaceId);
  const children = new Set<string>(meetings);
  for (const record of records) {
    if (record.type === 'PortfolioItem') children.add(`${base}#ITEM#${String(record.id)}`);
    if (record.type === 'MisalignmentIssue') children.add(`${base}#ISSUE#${String(record.id)}`);
    if (record.type === 'BudgetCycle') children.add(`${base}#CYCLE#${String(record.id)}`);
    if (typeof record.cycleId === 'string' && record.cycleId !== '') children.add(`${base}#CYCLE#${record.cycleId}`);
  }
  return [...children].sort();
}

/**
 * The workspace partition and the meeting list first, side by side; then
 * every item collection they name, {@link exportConcurrency} at a time.
 */
export async function exportWorkspace(workspaceId: string, now: string): Promise<WorkspaceExport> {
  const [own, meetings] = await Promise.all([partition(workspacePk(workspaceId)), meetingPartitions(workspaceId)]);
  const children = (await mapConcurrently(childPartitions(workspaceId, own, meetings), exportConcurrency, partition)).flat();
  const records = [...own, ...children].filter((item) => !notData.has(String(item.type)));
  return { format: exportFormat, version: exportVersion, workspaceId, exportedAt: now, records };
}

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;

/**
 * The restored workspace item as an update of the target's, so the import
 * needs only the target's version, not all of it: the same outcome as
 * writing `{ ...source, ...target, ...set }` with the source's record
 * counters (`…Count`) winning over the target's. An attribute `set` leaves
 * undefined is removed, as a Put without it would.
 */
function workspaceMerge(source: Record<string, unknown>, set: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments: string[] = [];
  const removals: string[] = [];
  const assign = (key: string, value: unknown, keepCurrent: boolean) => {
    const index = Object.keys(names).length;
    const name = `#a${index}`;
    const placeholder = `:a${index}`;
    if (value === undefined) {
      if (keepCurrent) return;
      names[name] = key;
      removals.push(name);
      return;
    }
    names[name] = key;
    values[placeholder] = value;
    assignments.push(keepCurrent ? `${name} = if_not_exists(${name}, ${placeholder})` : `${name} = ${placeholder}`);
  };
  for (const [key, value] of Object.entries(set)) assign(key, value, false);
  for (const [key, value] of Object.entries(source)) {
    if (!(key in set)) assign(key, value, !key.endsWith('Count'));
  }
  const expression = [`SET ${assignments.join(', ')}`, ...(removals.length > 0 ? [`REMOVE ${removals.join(', ')}`] : [])];
  return { expression: expression.join(' '), names, values };
}

/**
 * DynamoDB's bounds on one TransactWriteItems: 100 actions and 4 MB of items.
 * The size is estimated from the records' JSON, which can undercount
 * DynamoDB's measure (a small number in a list costs 3 bytes there, 2 in
 * JSON) but never by half, so half the limit keeps a transaction inside it.
 */
const maxTransactionActions = 100;
const maxTransactionJsonBytes = 2_000_000;

/** Writes records in BatchWriteItem requests of 25, retrying what DynamoDB leaves unprocessed. */
async function batchPut(items: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed items during the import');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = (result.UnprocessedItems?.[tableName()] ?? []) as typeof requests;
    }
  }
}

/**
 * Restores an export into an empty workspace (one that holds only itself,
 * the importing admin and audit events), rewriting the old workspace id to
 * the new one everywhere.
 *
 * A backup that fits one transaction (fewer than 100 records) is written in
 * one TransactWriteItems together with the workspace item and the audit
 * event: all of it or nothing, and one request instead of a BatchWriteItem
 * per 25 records plus the closing transaction. A larger one is written in
 * batches and the workspace item last, in one transaction with the audit
 * event; importing the same export again after an interruption completes it.
 * Either way the workspace item's condition (same version and last change as
 * read) refuses the import when the workspace changed since the emptiness
 * check.
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
  data.records.forEach((record, index) => {
    const inWorkspace = record.pk === sourcePk || String(record.pk).startsWith(`${sourcePk}#`);
    if (!inWorkspace || typeof record.sk !== 'string' || record.sk === '') {
      throw new Conflict(`Record ${index} does not belong to the exported workspace ${data.workspaceId}`);
    }
  });
  // Ids are UUIDs (both are validated as such), so the old workspace id in
  // the JSON text is exactly its occurrences in keys and values, and
  // replacing it there rewrites every record in one pass instead of walking
  // each one.
  const json = JSON.stringify(data.records).split(data.workspaceId).join(workspaceId);
  const records = JSON.parse(json) as Record<string, unknown>[];
  const sourceWorkspace = records.find((record) => record.sk === 'WORKSPACE');
  if (!sourceWorkspace) throw new Conflict('The export holds no workspace record');

  const existing = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId) },
      // Only what the emptiness check, the member count and the conditions
      // read: a resumed import would otherwise read back in full every record
      // it wrote before.
      ProjectionExpression: 'pk, sk, #type, email, #role, workspaceName, version, updatedAt',
      ExpressionAttributeNames: { '#type': 'type', '#role': 'role' },
      ConsistentRead: true,
    },
    (item) => item,
  );
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

  const workspaceName = String(sourceWorkspace.name);
  // The importing admin stays an admin: their own record from the export
  // replaces the current one only when it is an admin record too. It carries
  // the restored workspace's name (their list of workspaces shows it), set
  // in the record itself so no second write touches the same item.
  const ownKey = keyOf({ pk: workspacePk(workspaceId), sk: `MEMBER#${actor.email}` });
  const toWrite = records
    .filter((record) => record.sk !== 'WORKSPACE' && (keyOf(record) !== ownKey || record.role === 'admin'))
    .map((record) => (keyOf(record) === ownKey ? { ...record, workspaceName } : record));

  const members = new Map<string, Record<string, unknown>>();
  for (const item of [...existing, ...toWrite]) {
    if (item.type === 'Member') members.set(String(item.email), item);
  }
  const byType: Record<string, number> = {};
  for (const record of records) byType[String(record.type)] = (byType[String(record.type)] ?? 0) + 1;
  const { pk: _pk, sk: _sk, id: _id, version: _version, ...kept } = sourceWorkspace;
  const merge = workspaceMerge(kept, {
    name: workspaceName,
    createdAt: sourceWorkspace.createdAt,
    createdBy: sourceWorkspace.createdBy,
    adminCount: [...members.values()].filter((member) => member.role === 'admin').length,
    [counterAttribute('members')]: members.size,
    importedFrom: data.workspaceId,
    updatedAt: now,
    version: Number(target.version) + 1,
  });
  const own = members.get(actor.email);
  const closing = [
    {
      Update: {
        TableName: tableName(),
        Key: { pk: target.pk, sk: target.sk },
        UpdateExpression: merge.expression,
        ExpressionAttributeNames: merge.names,
        // Counters on the workspace item move without a new version (see
        // `capIncrement`), but always with a new `updatedAt`.
        ConditionExpression:
          target.updatedAt === undefined
            ? 'version = :expected AND attribute_not_exists(updatedAt)'
            : 'version = :expected AND updatedAt = :updatedAt',
        ExpressionAttributeValues: {
          ...merge.values,
          ':expected': target.version,
          ...(target.updatedAt === undefined ? {} : { ':updatedAt': target.updatedAt }),
        },
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
  ];
  // The records' JSON size stands for what is written of them: all but the
  // workspace record, with at most one member's workspace name changed.
  const inOneTransaction =
    toWrite.length + closing.length <= maxTransactionActions && Buffer.byteLength(json) <= maxTransactionJsonBytes;
  if (!inOneTransaction) await batchPut(toWrite);
  try {
    await transactWrite([
      ...closing,
      ...(inOneTransaction ? toWrite.map((Item) => ({ Put: { TableName: tableName(), Item } })) : []),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict('The workspace changed during the import; import again');
    }
    throw error;
  }
  return { workspaceId, imported: records.length, byType };
}
