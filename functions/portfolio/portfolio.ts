import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { normaliseCode, type PortfolioItem, type PortfolioKind, searchText } from '#contract/portfolio/portfolio';
import { type ImportReport, readPortfolioCsv } from '#contract/portfolio/portfolio-csv';
import type { AgreedThreshold, CatalogueEntry } from '#contract/thresholds/thresholds';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/audit/audit';
import { Conflict, NotFound } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { brokenReference, referenceChecks, referencesOf } from '#functions/table/references';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { capIncrement, capReached, counterAttribute, workspaceCaps } from '#functions/workspaces/limits';
import { listMembers } from '#functions/workspaces/workspaces';
import { agreedSk, itemCollectionPk } from './item-collection';
import { codeKey, itemsGsiPk, portfolioItemKey } from './portfolio-keys';

export { codeKey, itemsGsiPk, portfolioItemKey } from './portfolio-keys';

export function toPortfolioItem(item: Record<string, unknown>): PortfolioItem {
  return {
    id: item.id as string,
    workspaceId: item.workspaceId as string,
    code: item.code as string,
    name: item.name as string,
    kind: item.kind as PortfolioKind,
    unit: item.unit as string,
    description: (item.description as string) ?? '',
    owner: (item.owner as string | null) ?? null,
    archived: Boolean(item.archived),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}

const toEntry = (item: Record<string, unknown>): CatalogueEntry => ({
  item: toPortfolioItem(item),
  agreed: (item.agreed as AgreedThreshold | undefined) ?? null,
});

export interface NewPortfolioItem {
  code: string;
  name: string;
  kind: PortfolioKind;
  unit: string;
  description: string;
  owner: string | null;
}

function codeTaken(code: string, current?: Record<string, unknown>) {
  return new Conflict(`The code ${code} is already used by another portfolio item`, {
    field: 'code',
    current: current ? { itemId: current.itemId } : undefined,
  });
}

function newItem(workspaceId: string, input: NewPortfolioItem, now: string): PortfolioItem {
  return {
    id: randomUUID(),
    workspaceId,
    ...input,
    code: normaliseCode(input.code),
    archived: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The three writes that add an item: its code marker (first, so a taken code fails at index 0), the item, its audit event. */
function newItemWrites(item: PortfolioItem, actor: Caller, now: string): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...codeKey(item.workspaceId, item.code), type: 'PortfolioCode', itemId: item.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...portfolioItemKey(item.workspaceId, item.id),
          gsi1pk: itemsGsiPk(item.workspaceId),
          gsi1sk: item.code,
          type: 'PortfolioItem',
          search: searchText(item),
          agreed: null,
          ...item,
        },
      },
    },
    auditPut({
      workspaceId: item.workspaceId,
      actor,
      action: 'portfolioItem.created',
      entity: 'portfolioItem',
      entityId: item.id,
      after: item,
      at: now,
    }),
  ];
}

/** Adds an item; 409 when its code is taken in the workspace. */
export async function createPortfolioItem(
  workspaceId: string,
  input: NewPortfolioItem,
  actor: Caller,
  now: string,
): Promise<PortfolioItem> {
  const item = newItem(workspaceId, input, now);
  const writes = [
    ...newItemWrites(item, actor, now),
    capIncrement(workspaceId, 'portfolioItems', workspaceCaps.portfolioItems, now),
  ];
  writes.push(...(await referenceChecks(workspaceId, referencesOf('body.owner', 'member', [input.owner]), writes)));
  try {
    await transactWrite(writes);
  } catch (error) {
    const refused = brokenReference(error, writes);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.index === 0) throw codeTaken(item.code, error.current);
    if (error instanceof TransactionConditionFailed && error.index === 3) {
      throw capReached('portfolioItems', workspaceCaps.portfolioItems);
    }
    throw error;
  }
  return item;
}

export interface PortfolioFilter {
  limit: number;
  cursor?: string;
  q?: string;
  kind?: PortfolioKind;
  archived?: 'true' | 'false' | 'all';
}

function filtered(workspaceId: string, filter: PortfolioFilter) {
  const conditions: string[] = [];
  const values: Record<string, unknown> = { ':pk': itemsGsiPk(workspaceId) };
  if (filter.q) {
    conditions.push('contains(#search, :q)');
    values[':q'] = filter.q.toLowerCase();
  }
  if (filter.kind) {
    conditions.push('kind = :kind');
    values[':kind'] = filter.kind;
  }
  if (filter.archived !== 'all') {
    conditions.push('archived = :archived');
    values[':archived'] = filter.archived === 'true';
  }
  return {
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: values,
    ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    ...(filter.q ? { ExpressionAttributeNames: { '#search': 'search' } } : {}),
  };
}

/**
 * One page of portfolio items in code order. Search and filters narrow a
 * page rather than the whole list, so a page may hold fewer than `limit`
 * items while `nextCursor` still points further.
 */
export function listPortfolioItems(workspaceId: string, filter: PortfolioFilter): Promise<Page<PortfolioItem>> {
  return queryPage(filtered(workspaceId, filter), filter, toPortfolioItem);
}

/** One page of the rep's catalogue: items in use, each with its agreed threshold. */
export function listCatalogue(workspaceId: string, filter: Omit<PortfolioFilter, 'archived'>): Promise<Page<CatalogueEntry>> {
  return queryPage(filtered(workspaceId, { ...filter, archived: 'false' }), filter, toEntry);
}

async function getItemRecord(workspaceId: string, itemId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: portfolioItemKey(workspaceId, itemId), ConsistentRead: true }),
  );
  return Item;
}

export async function requirePortfolioItem(workspaceId: string, itemId: string): Promise<PortfolioItem> {
  const record = await getItemRecord(workspaceId, itemId);
  if (!record) throw new NotFound('Portfolio item not found');
  return toPortfolioItem(record);
}

export async function getCatalogueEntry(workspaceId: string, itemId: string): Promise<CatalogueEntry> {
  const record = await getItemRecord(workspaceId, itemId);
  if (!record) throw new NotFound('Portfolio item not found');
  return toEntry(record);
}

export interface PortfolioChange {
  code?: string;
  name?: string;
  kind?: PortfolioKind;
  unit?: string;
  description?: string;
  owner?: string | null;
  archived?: boolean;
  expectedVersion: number;
}

const updatedFields = ['code', 'name', 'kind', 'unit', 'description', 'owner', 'archived', 'search'] as const;

/** Edits or archives an item, conditional on its version; a new code swaps the code marker in the same transaction. */
export async function updatePortfolioItem(
  workspaceId: string,
  itemId: string,
  change: PortfolioChange,
  actor: Caller,
  now: string,
): Promise<PortfolioItem> {
  const record = await getItemRecord(workspaceId, itemId);
  if (!record) throw new NotFound('Portfolio item not found');
  const before = toPortfolioItem(record);
  if (before.version !== change.expectedVersion) {
    throw new Conflict(`The item changed since version ${change.expectedVersion}; it is now version ${before.version}`, {
      current: before,
    });
  }
  const { expectedVersion, ...fields } = change;
  const after: PortfolioItem = {
    ...before,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    code: normaliseCode(fields.code ?? before.code),
    updatedAt: now,
    version: before.version + 1,
  };
  const writes: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: portfolioItemKey(workspaceId, itemId),
        // Aliased throughout: several of these names (unit, name, owner) are DynamoDB reserved words.
        UpdateExpression: `SET ${updatedFields.map((field) => `#${field} = :${field}`).join(', ')}, gsi1sk = :code, updatedAt = :now, version = :next`,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeNames: Object.fromEntries(updatedFields.map((field) => [`#${field}`, field])),
        ExpressionAttributeValues: {
          ':code': after.code,
          ':name': after.name,
          ':kind': after.kind,
          ':unit': after.unit,
          ':description': after.description,
          ':owner': after.owner,
          ':archived': after.archived,
          ':search': searchText(after),
          ':now': now,
          ':next': after.version,
          ':expected': expectedVersion,
        },
      },
    },
  ];
  const codeChanged = after.code !== before.code;
  if (codeChanged) {
    writes.push(
      {
        Put: {
          TableName: tableName(),
          Item: { ...codeKey(workspaceId, after.code), type: 'PortfolioCode', itemId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Delete: { TableName: tableName(), Key: codeKey(workspaceId, before.code) } },
    );
  }
  if (after.archived !== before.archived && record.agreed) {
    // The promise check reads only the item's collection, so the published threshold carries the archived flag too.
    writes.push({
      Update: {
        TableName: tableName(),
        Key: { pk: itemCollectionPk(workspaceId, itemId), sk: agreedSk },
        UpdateExpression: 'SET archived = :archived',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':archived': after.archived },
      },
    });
  }
  writes.push(
    auditPut({
      workspaceId,
      actor,
      action: after.archived && !before.archived ? 'portfolioItem.archived' : 'portfolioItem.updated',
      entity: 'portfolioItem',
      entityId: itemId,
      before,
      after,
      at: now,
    }),
  );
  writes.push(...(await referenceChecks(workspaceId, referencesOf('body.owner', 'member', [change.owner]), writes)));
  try {
    await transactWrite(writes);
  } catch (error) {
    const refused = brokenReference(error, writes);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The item changed since version ${expectedVersion}`, {
        current: error.current ? toPortfolioItem(error.current) : undefined,
      });
    }
    if (error instanceof TransactionConditionFailed && error.index === 1 && codeChanged) throw codeTaken(after.code);
    throw error;
  }
  return after;
}

/** The write that puts an agreed threshold on its item for the catalogue; part of the sign-off transaction. */
export function agreedOnItemUpdate(workspaceId: string, itemId: string, agreed: AgreedThreshold, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: portfolioItemKey(workspaceId, itemId),
      // Derived from the threshold head, whose version guards the sign-off; the item's own version is for its edits.
      UpdateExpression: 'SET agreed = :agreed, agreedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':agreed': agreed, ':now': now },
    },
  };
}

/** Rows per import transaction: three writes each plus the cap counter stays under DynamoDB's 100 per transaction. */
const importChunk = 30;

/**
 * Imports the valid rows of a CSV file, many rows per transaction so a full
 * file fits in one Lambda invocation. A row whose code is taken fails its
 * transaction at a known index: that row is reported and the rest retried.
 */
export async function importPortfolioItems(workspaceId: string, csv: string, actor: Caller, now: string): Promise<ImportReport> {
  const read = readPortfolioCsv(csv);
  const report: ImportReport = { imported: 0, items: [], errors: [...read.errors] };
  // An owner must be a member of this workspace; a row naming anyone else is refused, the others imported.
  const members = read.items.some((entry) => entry.item.owner)
    ? new Set((await listMembers(workspaceId)).map((member) => member.email))
    : new Set<string>();
  const items = read.items.filter((entry) => {
    if (!entry.item.owner || members.has(entry.item.owner)) return true;
    report.errors.push({ row: entry.row, field: 'owner', reason: 'must be a member of this workspace' });
    return false;
  });
  chunks: for (let start = 0; start < items.length; start += importChunk) {
    let pending = items
      .slice(start, start + importChunk)
      .map((entry) => ({ row: entry.row, item: newItem(workspaceId, entry.item, now) }));
    while (pending.length > 0) {
      const writes = pending.flatMap((entry) => newItemWrites(entry.item, actor, now));
      try {
        await transactWrite([
          ...writes,
          capIncrement(workspaceId, 'portfolioItems', workspaceCaps.portfolioItems, now, pending.length),
        ]);
        for (const entry of pending) report.items.push({ row: entry.row, code: entry.item.code, id: entry.item.id });
        report.imported += pending.length;
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionConditionFailed)) throw error;
        if (error.index === writes.length) {
          // The workspace is nearly full: import what still fits, refuse the rest for that reason.
          const used = Number(error.current?.[counterAttribute('portfolioItems')] ?? 0);
          const room = workspaceCaps.portfolioItems - used;
          const reason = capReached('portfolioItems', workspaceCaps.portfolioItems).message;
          if (room > 0 && room < pending.length) {
            for (const entry of pending.slice(room)) report.errors.push({ row: entry.row, field: 'row', reason });
            pending = pending.slice(0, room);
            continue;
          }
          const settled = new Set([...report.items, ...report.errors].map((entry) => entry.row));
          for (const entry of items.slice(start).filter((candidate) => !settled.has(candidate.row))) {
            report.errors.push({ row: entry.row, field: 'row', reason });
          }
          break chunks;
        }
        const refused = error.index % 3 === 0 ? pending[error.index / 3] : undefined;
        if (!refused) throw error;
        report.errors.push({ row: refused.row, field: 'code', reason: codeTaken(refused.item.code).message });
        pending = pending.filter((entry) => entry !== refused);
      }
    }
  }
  report.errors.sort((a, b) => a.row - b.row);
  report.items.sort((a, b) => a.row - b.row);
  return report;
}

/** Every portfolio item in code order, archived ones included, for the CSV export. */
export function allPortfolioItems(workspaceId: string): Promise<PortfolioItem[]> {
  return queryAll(filtered(workspaceId, { limit: 0, archived: 'all' }), toPortfolioItem);
}
