import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  exportFormat,
  exportVersion,
  maxRestoreRecords,
  type RestoreSummary,
  type WorkspaceExport,
  type WorkspaceExportPage,
} from '#contract/backup/backup';
import type { Caller } from '#contract/views';
import type { MemberFunction } from '#contract/workspaces/members';
import { auditPut } from '#functions/audit/audit';
import { BadRequest, Conflict, LimitExceeded } from '#functions/kernel/errors';
import { meetingListGsiPk } from '#functions/meetings/meeting-keys';
import { cyclePk, occurrencePk } from '#functions/misalignment/misalignment-keys';
import { itemCollectionPk } from '#functions/portfolio/item-collection';
import { putInBatches } from '#functions/table/batch-write';
import { dynamo, tableName } from '#functions/table/client';
import { auditPk, workspacePk } from '#functions/table/keys';
import { queryFromCursor } from '#functions/table/pages';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { counterAttribute } from '#functions/workspaces/limits';
import { memberItem, workspaceKey } from '#functions/workspaces/workspaces';
import { checkRecords, checkShape } from './backup-restore-check';
import { openCursor, sealCursor, signPage, verifyBackupSeals } from './backup-signature';

/** Idempotency records are answers to past requests, not workspace data: they stay behind. */
const notData = new Set(['IdempotencyRecord']);

type Key = Record<string, unknown>;

/**
 * What an export reads, in order: the workspace's own partition, then the
 * item collections its records own (found a page of owners at a time), then
 * the audit trail. Every partition of the workspace is one of these.
 */
type Section =
  | { kind: 'partition'; pk: (workspaceId: string) => string }
  | {
      kind: 'owners';
      /** The owners' Query, keys only; its start key resumes after the last owner read. */
      owners: (workspaceId: string) => Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit' | 'TableName'>;
      /** The attributes of an owner that make its start key. */
      keyOf: (owner: Key) => Key;
      /** The owner's item collection, or null for a record the Query found that owns none. */
      collection: (workspaceId: string, owner: Key) => string | null;
    };

const ownedBy = (prefix: string, type: string, collection: (workspaceId: string, id: string) => string): Section => ({
  kind: 'owners',
  owners: (workspaceId) => ({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': prefix },
    ExpressionAttributeNames: { '#type': 'type' },
    ProjectionExpression: 'pk, sk, id, #type',
  }),
  keyOf: (owner) => ({ pk: owner.pk, sk: owner.sk }),
  collection: (workspaceId, owner) => (owner.type === type ? collection(workspaceId, String(owner.id)) : null),
});

const sections: Section[] = [
  { kind: 'partition', pk: workspacePk },
  ownedBy('ITEM#', 'PortfolioItem', itemCollectionPk),
  ownedBy('ISSUE#', 'MisalignmentIssue', occurrencePk),
  ownedBy('CYCLE#', 'BudgetCycle', cyclePk),
  {
    kind: 'owners',
    owners: (workspaceId) => ({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': meetingListGsiPk(workspaceId) },
      ProjectionExpression: 'pk, sk, gsi1pk, gsi1sk',
    }),
    keyOf: (owner) => ({ pk: owner.pk, sk: owner.sk, gsi1pk: owner.gsi1pk, gsi1sk: owner.gsi1sk }),
    collection: (_workspaceId, owner) => String(owner.pk),
  },
  { kind: 'partition', pk: auditPk },
];

/**
 * How much one page reads. A page is one step: a Query of the workspace's or
 * the audit trail's partition, or the item collections of a page of owners
 * read side by side (within the SDK's socket pool of 50). So a page costs a
 * bounded number of requests and stays well inside Lambda's 6 MB answer
 * whatever the workspace holds; a collection longer than its share is
 * finished on the next pages before the next owners.
 */
const partitionPageRecords = 1000;
const ownersPerPage = 16;
const collectionPageRecords = 250;
const stepsPerPage = 6;

/** Where the next page starts: a section, a start key in it, and a collection left half read. */
interface ExportPosition {
  section: number;
  key?: Key;
  collection?: { pk: string; key: Key };
}

/** Where an export is: which export, which page comes next, and where it starts. */
interface ExportState {
  workspaceId: string;
  exportId: string;
  exportedAt: string;
  page: number;
  position: ExportPosition;
}

async function readState(workspaceId: string, cursor: string | undefined, now: string): Promise<ExportState> {
  if (!cursor) return { workspaceId, exportId: randomUUID(), exportedAt: now, page: 1, position: { section: 0 } };
  const state = await openCursor(cursor);
  const raw = state.position as Record<string, unknown> | undefined;
  const section = raw?.section;
  const key = raw?.key;
  const collection = raw?.collection as { pk?: unknown; key?: unknown } | undefined;
  const isKey = (value: unknown): value is Key => typeof value === 'object' && value !== null && !Array.isArray(value);
  const valid =
    state.workspaceId === workspaceId &&
    typeof state.exportId === 'string' &&
    typeof state.exportedAt === 'string' &&
    Number.isInteger(state.page) &&
    Number.isInteger(section) &&
    (section as number) >= 0 &&
    (section as number) < sections.length &&
    (key === undefined || isKey(key)) &&
    (collection === undefined ||
      (typeof collection.pk === 'string' &&
        // A collection is named by its partition key, so it must be one of this workspace's.
        collection.pk.startsWith(`${workspacePk(workspaceId)}#`) &&
        isKey(collection.key)));
  if (!valid) throw new BadRequest('The cursor is not one this API gave out');
  return state as unknown as ExportState;
}

const query = (input: Omit<QueryCommandInput, 'TableName'>) => queryFromCursor({ TableName: tableName(), ...input });

const partitionQuery = (pk: string, key: Key | undefined, limit: number) =>
  query({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ConsistentRead: true,
    ExclusiveStartKey: key,
    Limit: limit,
  });

/** One step of the export from `at`: its records and where the next step starts (null after the last). */
async function exportStep(workspaceId: string, at: ExportPosition) {
  const section = sections[at.section] as Section;
  const after = (position: ExportPosition | null): ExportPosition | null =>
    position ?? (at.section + 1 < sections.length ? { section: at.section + 1 } : null);
  if (at.collection) {
    const page = await partitionQuery(at.collection.pk, at.collection.key, collectionPageRecords);
    const rest = page.LastEvaluatedKey;
    return {
      records: page.Items ?? [],
      next: rest ? { ...at, collection: { pk: at.collection.pk, key: rest } } : { section: at.section, key: at.key },
    };
  }
  if (section.kind === 'partition') {
    const page = await partitionQuery(section.pk(workspaceId), at.key, partitionPageRecords);
    const rest = page.LastEvaluatedKey;
    return { records: page.Items ?? [], next: after(rest ? { section: at.section, key: rest } : null) };
  }
  const owners = await query({ ...section.owners(workspaceId), ExclusiveStartKey: at.key, Limit: ownersPerPage });
  const found = (owners.Items ?? []).flatMap((owner) => {
    const pk = section.collection(workspaceId, owner);
    return pk ? [{ owner, pk }] : [];
  });
  const pages = await Promise.all(found.map(({ pk }) => partitionQuery(pk, undefined, collectionPageRecords)));
  const records: Key[] = [];
  for (const [index, page] of pages.entries()) {
    records.push(...(page.Items ?? []));
    const rest = page.LastEvaluatedKey;
    const { owner, pk } = found[index] as (typeof found)[number];
    // The collections after an unfinished one are read again on a later
    // page, so the records stay in order and none comes twice.
    if (rest) return { records, next: { section: at.section, key: section.keyOf(owner), collection: { pk, key: rest } } };
  }
  const rest = owners.LastEvaluatedKey;
  return { records, next: after(rest ? { section: at.section, key: rest } : null) };
}

/**
 * One page of a workspace's export. Its first page holds the workspace's
 * own partition (or the first 1,000 records of it); the export is whole
 * once a page answers `nextCursor: null`, and the import takes the records
 * of all pages in one document with each page's signature. A step that
 * finds nothing (a section with no owners, owners whose collections are
 * empty) does not end a page, up to {@link stepsPerPage} steps; so a page
 * can be empty and still name a next. The cursor carries the export's id,
 * time and next page number, signed, so every page of one export says the
 * same and the pages' seals chain in order.
 */
export async function exportWorkspace(workspaceId: string, now: string, cursor?: string): Promise<WorkspaceExportPage> {
  const state = await readState(workspaceId, cursor, now);
  let at: ExportPosition | null = state.position;
  const records: Key[] = [];
  for (let steps = 0; at && records.length === 0 && steps < stepsPerPage; steps++) {
    const step: { records: Key[]; next: ExportPosition | null } = await exportStep(workspaceId, at);
    records.push(...step.records.filter((item) => !notData.has(String(item.type))));
    at = step.next;
  }
  const { exportId, exportedAt, page } = state;
  const facts = { workspaceId, exportId, exportedAt, page, last: at === null };
  return {
    format: exportFormat,
    version: exportVersion,
    workspaceId,
    exportId,
    exportedAt,
    page,
    records,
    signature: await signPage(facts, records),
    nextCursor: at ? await sealCursor({ workspaceId, exportId, exportedAt, page: page + 1, position: at }) : null,
  };
}

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
  return new Conflict(`This backup was already restored as workspace ${workspaceId}`, { workspaceId });
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
    throw new LimitExceeded(`A restore takes at most ${maxRestoreRecords} records`, {
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
  const rewritten = JSON.parse(json) as Record<string, unknown>[];
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
            function: (ownInBackup?.function as MemberFunction | undefined) ?? 'management',
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
  const { pk: _pk, sk: _sk, id: _id, version: _version, type: _type, ...carried } = source;
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
    { Put: { TableName: tableName(), Item: workspaceItem, ConditionExpression: 'attribute_not_exists(pk)' } },
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
    if (error instanceof TransactionConditionFailed && error.index === 0) throw alreadyRestored(workspaceId);
    throw error;
  }
  return { workspaceId, name: workspaceName, imported: data.records.length, byType };
}
