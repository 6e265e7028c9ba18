import { BatchWriteCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  exportFormat,
  exportVersion,
  type ImportSummary,
  maxImportRecords,
  type WorkspaceExport,
  type WorkspaceExportPage,
} from '../domain/backup';
import type { Caller } from '../domain/views';
import { BadRequest, Conflict, LimitExceeded, NotFound } from '../lib/errors';
import { auditPut } from './audit';
import { dynamo, tableName } from './client';
import { itemCollectionPk } from './item-collection';
import { auditPk, workspacePk } from './keys';
import { counterAttribute } from './limits';
import { meetingListGsiPk } from './meeting-keys';
import { cyclePk, occurrencePk } from './misalignment-keys';
import { decodeCursor, encodeCursor, queryAll } from './pages';
import { TransactionConditionFailed, transactWrite } from './transactions';

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

function readPosition(workspaceId: string, cursor: string | undefined): ExportPosition {
  const raw = decodeCursor(cursor);
  if (!raw) return { section: 0 };
  const section = raw.section;
  const key = raw.key;
  const collection = raw.collection as { pk?: unknown; key?: unknown } | undefined;
  const isKey = (value: unknown): value is Key => typeof value === 'object' && value !== null && !Array.isArray(value);
  const valid =
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
  return raw as unknown as ExportPosition;
}

async function query(input: Omit<QueryCommandInput, 'TableName'>) {
  try {
    return await dynamo.send(new QueryCommand({ TableName: tableName(), ...input }));
  } catch (error) {
    // A start key forged for another partition does not match the key condition.
    if (error instanceof Error && error.name === 'ValidationException' && input.ExclusiveStartKey) {
      throw new BadRequest('The cursor does not belong to this export');
    }
    throw error;
  }
}

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
 * of all pages in one document. A step that finds nothing (a section with
 * no owners, owners whose collections are empty) does not end a page, up to
 * {@link stepsPerPage} steps; so a page can be empty and still name a next.
 */
export async function exportWorkspace(workspaceId: string, now: string, cursor?: string): Promise<WorkspaceExportPage> {
  let at: ExportPosition | null = readPosition(workspaceId, cursor);
  const records: Key[] = [];
  for (let steps = 0; at && records.length === 0 && steps < stepsPerPage; steps++) {
    const step: { records: Key[]; next: ExportPosition | null } = await exportStep(workspaceId, at);
    records.push(...step.records.filter((item) => !notData.has(String(item.type))));
    at = step.next;
  }
  return {
    format: exportFormat,
    version: exportVersion,
    workspaceId,
    exportedAt: now,
    records,
    nextCursor: at ? encodeCursor(at as unknown as Key) : null,
  };
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
 * Restores an export into an empty workspace (one that holds only itself
 * and the importing admin; its audit trail is not data), rewriting the old workspace id to
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
