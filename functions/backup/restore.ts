import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { maxRestoreRecords, type RestoreSummary, type WorkspaceExport } from '#contract/backup/backup';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { memberFunctions } from '#contract/workspaces/members';
import { auditPut } from '#functions/table/audit-trail';
import { putInBatches } from '#functions/table/batch-write';
import { dynamo, tableName } from '#functions/table/client';
import { named, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { counterAttribute } from '#functions/workspaces/limits';
import { memberItem, workspaceKey } from '#functions/workspaces/workspaces';
import { checkRecords, checkShape } from './backup-restore-check';
import { verifyBackupSeals } from './backup-signature';

/**
 * DynamoDB's bounds on one TransactWriteItems: 100 actions and 4 MB of items.
 * The size is estimated from the records' JSON, which can undercount
 * DynamoDB's measure (a small number in a list costs 3 bytes there, 2 in
 * JSON) but never by half, so half the limit keeps a transaction inside it.
 */
const maxTransactionActions = 100;
const maxTransactionJsonBytes = 2_000_000;

/**
 * The id of the workspace a person restores a backup as: the same for the
 * same person and the same export, so a restore that was interrupted
 * completes when run again, and one that completed is not made twice. It is
 * a UUID (version 8, from SHA-256), so it passes every id check.
 */
export function restoredWorkspaceId(actor: Pick<Caller, 'sub'>, data: Pick<WorkspaceExport, 'workspaceId' | 'exportedAt'>) {
  const hex = createHash('sha256')
    .update(`accord-restore\u0000${actor.sub}\u0000${data.workspaceId}\u0000${data.exportedAt}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function alreadyRestored(workspaceId: string) {
  return refuse.conflict(`This backup was already restored as workspace ${workspaceId}`, { workspaceId });
}

/** Where sign-offs sit in the records that carry them, marked on a restore. */
const signOffLists = new Set(['signOffs', 'agreedSignOffs']);

/**
 * Marks every sign-off in a record as restored from an export: it was
 * given in the backed-up workspace, not signed anew in this one. Audit
 * events keep what happened as it was recorded.
 */
function markSignOffs(record: Record<string, unknown>, exportId: string) {
  if (record.type === 'AuditEvent') return record;
  const stack: unknown[] = [record];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const [name, inner] of Object.entries(value)) {
      if (signOffLists.has(name) && Array.isArray(inner)) {
        for (const signOff of inner) {
          if (typeof signOff === 'object' && signOff !== null && !('restoredFrom' in signOff)) {
            Object.assign(signOff, { restoredFrom: exportId });
          }
        }
      } else {
        stack.push(inner);
      }
    }
  }
  return record;
}

/**
 * Restores an export as a new workspace, the restoring person its admin.
 * The backup must be one this deployment exported, whole and unchanged (its
 * pages' seals), and each record must parse by its type's layout; every
 * key is then built anew in the restored workspace from the record's own
 * attributes, so nothing in the file chooses where a record is written.
 * The backup's members come along, so they find the restored workspace in
 * their list; sign-offs are marked as restored.
 *
 * A backup that fits one transaction (with the workspace item and the audit
 * event: fewer than 99 records) is written in one TransactWriteItems, all
 * or nothing, the workspace item on condition that it does not exist yet:
 * one request. A larger one first checks that it was not restored before
 * (GetItem), then writes the records in batches, the members' records last
 * (they list the workspace for them), and finally the workspace item, the
 * restoring person's member record and the audit event in one transaction.
 * The workspace exists only once all its records do; run again after an
 * interruption, the same restore rewrites the same records and completes.
 */
export async function restoreWorkspace(data: WorkspaceExport, actor: Caller, now: string): Promise<RestoreSummary> {
  if (data.records.length > maxRestoreRecords) {
    throw refuse.limit(`A restore takes at most ${maxRestoreRecords} records`, {
      limit: 'restore.records',
      max: maxRestoreRecords,
    });
  }
  // Bounded first: the seals serialise the records, and nothing recursive may meet an unbounded one.
  data.records.forEach(checkShape);
  await verifyBackupSeals(data);
  const workspaceId = restoredWorkspaceId(actor, data);
  const { source, records: checked } = checkRecords(data, workspaceId);
  // Ids are UUIDs (both are validated as such), so the old workspace id in
  // the attributes' JSON text is exactly its occurrences in values (a
  // record's workspaceId, an audit event's entity), and replacing it there
  // rewrites them in one pass instead of walking each record.
  const json = JSON.stringify(checked.map((record) => record.attributes))
    .split(data.workspaceId)
    .join(workspaceId);
  const rewritten = z.array(z.record(z.string(), z.unknown())).parse(JSON.parse(json));
  const records = checked.map((record, index) => markSignOffs({ ...rewritten[index], ...record.keys }, data.exportId));
  const workspaceName = String(source.name);

  // The restoring person is the restored workspace's admin, whatever the
  // backup says of them; every member record carries the workspace's name.
  const ownSk = `MEMBER#${actor.email}`;
  const ownInBackup = records.find((record) => record.type === 'Member' && record.sk === ownSk);
  const own =
    ownInBackup?.role === 'admin'
      ? { ...ownInBackup, workspaceName, sub: actor.sub }
      : memberItem(
          {
            workspaceId,
            email: actor.email,
            name: actor.name,
            function: memberFunctions.find((name) => name === ownInBackup?.function) ?? 'management',
            role: 'admin',
            invitedBy: actor.email,
            createdAt: now,
            updatedAt: now,
            version: 1,
          },
          workspaceName,
          actor.sub,
        );
  const members = records
    .filter((record) => record.type === 'Member' && record.sk !== ownSk)
    .map((member): Record<string, unknown> => ({ ...member, workspaceName }));
  const others = records.filter((record) => record.type !== 'Member');
  const kept = [...others, ...members];

  const byType: Record<string, number> = {};
  for (const record of data.records) byType[String(record.type)] = (byType[String(record.type)] ?? 0) + 1;
  // API keys live outside the workspace's partitions and are never exported: their count does not carry over.
  const {
    pk: _pk,
    sk: _sk,
    id: _id,
    version: _version,
    type: _type,
    [counterAttribute('apiKeys')]: _apiKeys,
    ...carried
  } = source;
  const workspaceItem = {
    ...carried,
    ...workspaceKey(workspaceId),
    type: 'Workspace',
    id: workspaceId,
    name: workspaceName,
    createdAt: now,
    createdBy: actor.email,
    adminCount: members.filter((member) => member.role === 'admin').length + 1,
    [counterAttribute('members')]: members.length + 1,
    [counterAttribute('portfolioItems')]: others.filter((record) => record.type === 'PortfolioItem').length,
    restoredFrom: data.workspaceId,
    updatedAt: now,
    version: 1,
  };
  const closing = [
    named('workspace', { Put: { TableName: tableName(), Item: workspaceItem, ConditionExpression: 'attribute_not_exists(pk)' } }),
    { Put: { TableName: tableName(), Item: own } },
    auditPut({
      workspaceId,
      actor,
      action: 'workspace.restored',
      entity: 'workspace',
      entityId: workspaceId,
      after: {
        from: data.workspaceId,
        exportId: data.exportId,
        exportedAt: data.exportedAt,
        records: data.records.length,
        byType,
      },
      at: now,
    }),
  ];
  const inOneTransaction =
    kept.length + closing.length <= maxTransactionActions && Buffer.byteLength(json) <= maxTransactionJsonBytes;
  if (!inOneTransaction) {
    // Checked before any write: a restore already made may have changed
    // since, and its records must not be overwritten with the backup's.
    const { Item } = await dynamo.send(
      new GetCommand({
        TableName: tableName(),
        Key: workspaceKey(workspaceId),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    if (Item) throw alreadyRestored(workspaceId);
    await putInBatches(others);
    await putInBatches(members);
  }
  try {
    await transactWrite([
      ...closing,
      ...(inOneTransaction ? kept.map((Item) => ({ Put: { TableName: tableName(), Item } })) : []),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'workspace') throw alreadyRestored(workspaceId);
    throw error;
  }
  return { workspaceId, name: workspaceName, imported: data.records.length, byType };
}
