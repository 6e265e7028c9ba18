import { randomUUID } from 'node:crypto';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { exportFormat, exportVersion, type WorkspaceExportPage } from '#contract/backup/backup';
import { lazySchema } from '#contract/lazy-schema';
import { refuse } from '#contract/refusal';
import { keptListGsiPk } from '#functions/catalogue/kept-keys';
import { meetingListGsiPk } from '#functions/meetings/entities-meeting';
import { occurrencePk } from '#functions/misalignment/entities-issue-days';
import { cyclePk } from '#functions/misalignment/entities-ranking';
import { itemCollectionPk } from '#functions/portfolio/item-collection';
import { tableName } from '#functions/table/client';
import { gsi1 } from '#functions/table/entity';
import { auditPk, workspacePk } from '#functions/table/keys';
import { queryFromCursor } from '#functions/table/pages';
import { openCursor, sealCursor, signPage } from './backup-signature';

/** Idempotency records are answers to past requests, not workspace data: they stay behind. */
const notData = new Set(['IdempotencyRecord']);

type Key = Record<string, unknown>;

/**
 * What an export reads, in order: the workspace's own partition, then the
 * item collections its records own (found a page of owners at a time), the
 * kept-rate counters (through gsi1), then the audit trail. Every partition
 * of the workspace is one of these.
 */
type Section =
  | { kind: 'partition'; pk: (workspaceId: string) => string }
  /** Records in partitions of their own that gsi1 lists under one key (the kept-rate counters). */
  | { kind: 'index'; gsi1pk: (workspaceId: string) => string }
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
  { kind: 'index', gsi1pk: keptListGsiPk },
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

const key = lazySchema(() => z.record(z.string(), z.unknown()));

/**
 * Where an export is: which export, which page comes next, and where it
 * starts (a section, a start key in it, and a collection left half read).
 */
const exportState = lazySchema(() =>
  z.object({
    workspaceId: z.string(),
    exportId: z.string(),
    exportedAt: z.string(),
    page: z.int(),
    position: z.object({
      section: z.int().check(z.nonnegative(), z.lt(sections.length)),
      key: z.optional(key),
      collection: z.optional(z.object({ pk: z.string(), key })),
    }),
  }),
);
type ExportState = z.infer<typeof exportState>;
type ExportPosition = ExportState['position'];

async function readState(workspaceId: string, cursor: string | undefined, now: string): Promise<ExportState> {
  if (!cursor) return { workspaceId, exportId: randomUUID(), exportedAt: now, page: 1, position: { section: 0 } };
  const state = exportState.safeParse(await openCursor(cursor));
  const valid =
    state.success &&
    state.data.workspaceId === workspaceId &&
    // A collection is named by its partition key, so it must be one of this workspace's.
    (state.data.position.collection === undefined ||
      state.data.position.collection.pk.startsWith(`${workspacePk(workspaceId)}#`));
  if (!valid) throw refuse.invalid('The cursor is not one this API gave out');
  return state.data;
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
  const section = sections[at.section];
  if (!section) throw refuse.invalid('The cursor is not one this API gave out');
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
  if (section.kind === 'index') {
    // An index Query cannot be consistent: a counter a delivery changes during the export may be a moment behind.
    const page = await query({
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi1.pk },
      ExpressionAttributeValues: { ':pk': section.gsi1pk(workspaceId) },
      ExclusiveStartKey: at.key,
      Limit: partitionPageRecords,
    });
    const rest = page.LastEvaluatedKey;
    return { records: page.Items ?? [], next: after(rest ? { section: at.section, key: rest } : null) };
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
  for (const [index, { owner, pk }] of found.entries()) {
    const page = pages[index];
    records.push(...(page?.Items ?? []));
    const rest = page?.LastEvaluatedKey;
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
