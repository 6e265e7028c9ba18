import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { type PortfolioItem, type PortfolioKind, portfolioKinds, searchText } from '#contract/portfolio/portfolio';
import type { AgreedThreshold, CatalogueEntry } from '#contract/thresholds/thresholds';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, type ItemKey, indexKey, itemKey } from '#functions/table/entity';
import { portfolioItemKey, workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { agreedSk, itemCollectionPk } from './item-collection';
import { agreedThresholdShape } from './threshold-shapes';

/*
 * How portfolio items are stored. An item lives in the workspace partition
 * under `ITEM#<id>`, indexed by code on gsi1 (`WS#<ws>#ITEMS`) so lists page
 * in code order. A `CODE#<code>` marker makes codes unique per workspace: it
 * is put in the same transaction as the item, conditional on not existing.
 * The item also carries a copy of its agreed threshold (`agreed`), so the
 * catalogue is one Query.
 */

export const codeKey = (workspaceId: string, code: string): ItemKey => itemKey(workspacePk(workspaceId), `CODE#${code}`);
export const itemsGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#ITEMS`;

const itemShape: z.ZodMiniType<PortfolioItem> = lazySchema(() =>
  z.object({
    id: z.string(),
    workspaceId: z.string(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(portfolioKinds),
    unit: z.string(),
    description: z._default(z.string(), ''),
    owner: z._default(z.nullable(z.string()), null),
    // Items stored before families and list prices read without them.
    family: z._default(z.string(), ''),
    listPrice: z._default(z.nullable(z.number()), null),
    archived: z._default(z.boolean(), false),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
  }),
);

export const portfolioItemEntity = defineEntity({
  type: 'PortfolioItem',
  schema: itemShape,
  keys: (item) => ({
    ...portfolioItemKey(item.workspaceId, item.id),
    ...indexKey(itemsGsiPk(item.workspaceId), item.code),
  }),
});

/** The copy of its agreed threshold an item carries; null until one is agreed. */
const agreedCopy = lazySchema(() => z.object({ agreed: z._default(z.nullable(agreedThresholdShape), null) }));

export const toPortfolioItem = (item: Record<string, unknown>): PortfolioItem => portfolioItemEntity.parse(item);

const toEntry = (item: Record<string, unknown>): CatalogueEntry => ({
  item: portfolioItemEntity.parse(item),
  agreed: agreedCopy.parse(item).agreed,
});

/** An item as stored, with whether it has published an agreed threshold; undefined when there is none. */
export async function getPortfolioRecord(workspaceId: string, itemId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: portfolioItemKey(workspaceId, itemId), ConsistentRead: true }),
  );
  return Item ? toEntry(Item) : undefined;
}

export interface PortfolioFilter {
  limit: number;
  cursor?: string;
  q?: string;
  kind?: PortfolioKind;
  /** Items of this family; the empty string asks for the items without one. */
  family?: string;
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
  if (filter.family !== undefined) {
    conditions.push(filter.family === '' ? '(attribute_not_exists(#family) OR #family = :family)' : '#family = :family');
    values[':family'] = filter.family;
  }
  if (filter.archived !== 'all') {
    conditions.push('archived = :archived');
    values[':archived'] = filter.archived === 'true';
  }
  return {
    TableName: tableName(),
    IndexName: gsi1.name,
    KeyConditionExpression: `${gsi1.pk} = :pk`,
    ExpressionAttributeValues: values,
    ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    ...(filter.q || filter.family !== undefined
      ? {
          ExpressionAttributeNames: {
            ...(filter.q ? { '#search': 'search' } : {}),
            ...(filter.family !== undefined ? { '#family': 'family' } : {}),
          },
        }
      : {}),
  };
}

/**
 * One page of portfolio items in code order. Search and filters narrow a
 * page rather than the whole list, so a page may hold fewer than `limit`
 * items while `nextCursor` still points further.
 */
export function listPortfolioItems(workspaceId: string, filter: PortfolioFilter): Promise<Page<PortfolioItem>> {
  return queryPage(filtered(workspaceId, filter), filter, portfolioItemEntity.parse);
}

/** One page of the rep's catalogue: items in use, each with its agreed threshold. */
export function listCatalogue(workspaceId: string, filter: Omit<PortfolioFilter, 'archived'>): Promise<Page<CatalogueEntry>> {
  return queryPage(filtered(workspaceId, { ...filter, archived: 'false' }), filter, toEntry);
}

/** Every portfolio item in code order, archived ones included, for the CSV export. */
export function allPortfolioItems(workspaceId: string): Promise<PortfolioItem[]> {
  return queryAll(filtered(workspaceId, { limit: 0, archived: 'all' }), portfolioItemEntity.parse);
}

/** Claims `code` for the item; part `portfolioCode` (or the name given) fails when another item holds it. */
export const putCodeMarker = (workspaceId: string, code: string, itemId: string, part = 'portfolioCode'): TransactItem =>
  named(part, {
    Put: {
      TableName: tableName(),
      Item: { ...codeKey(workspaceId, code), type: 'PortfolioCode', itemId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

export const deleteCodeMarker = (workspaceId: string, code: string): TransactItem => ({
  Delete: { TableName: tableName(), Key: codeKey(workspaceId, code) },
});

/** Stores a new item, without an agreed threshold yet (its code marker guards it). */
export const putNewItem = (item: PortfolioItem): TransactItem =>
  portfolioItemEntity.put(item, { extra: { search: searchText(item), agreed: null } });

const updatedFields = [
  'code',
  'name',
  'kind',
  'unit',
  'description',
  'owner',
  'family',
  'listPrice',
  'archived',
  'search',
] as const;

/** Writes an item's edited fields; part `portfolioItem` (or the name given) fails unless it is still at `expectedVersion`. */
export function updateItem(after: PortfolioItem, expectedVersion: number, part = 'portfolioItem'): TransactItem {
  return named(part, {
    Update: {
      TableName: tableName(),
      Key: portfolioItemKey(after.workspaceId, after.id),
      // Aliased throughout: several of these names (unit, name, owner) are DynamoDB reserved words.
      UpdateExpression: `SET ${updatedFields.map((field) => `#${field} = :${field}`).join(', ')}, ${gsi1.sk} = :code, updatedAt = :now, version = :next`,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeNames: Object.fromEntries(updatedFields.map((field) => [`#${field}`, field])),
      ExpressionAttributeValues: {
        ':code': after.code,
        ':name': after.name,
        ':kind': after.kind,
        ':unit': after.unit,
        ':description': after.description,
        ':owner': after.owner,
        ':family': after.family,
        ':listPrice': after.listPrice,
        ':archived': after.archived,
        ':search': searchText(after),
        ':now': after.updatedAt,
        ':next': after.version,
        ':expected': expectedVersion,
      },
    },
  });
}

/** The write that puts an agreed threshold on its item for the catalogue; part of the sign-off transaction. */
export function agreedOnItemUpdate(workspaceId: string, itemId: string, agreed: AgreedThreshold, now: string): TransactItem {
  return named('portfolioItem', {
    Update: {
      TableName: tableName(),
      Key: portfolioItemKey(workspaceId, itemId),
      // Derived from the threshold head, whose version guards the sign-off; the item's own version is for its edits.
      UpdateExpression: 'SET agreed = :agreed, agreedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':agreed': agreed, ':now': now },
    },
  });
}

export { portfolioItemKey };

/** The agreed threshold an item publishes sits in its item collection under `CHECK#~AGREED`. */
export const publishedKey = (workspaceId: string, itemId: string) => itemKey(itemCollectionPk(workspaceId, itemId), agreedSk);

/**
 * Keeps the publication's `archived` flag with its item's, for the promise
 * check that reads only the item's collection; part `publishedThreshold`, which
 * fails when the item has published nothing.
 */
export const publicationArchivedUpdate = (workspaceId: string, itemId: string, archived: boolean): TransactItem =>
  named('publishedThreshold', {
    Update: {
      TableName: tableName(),
      Key: publishedKey(workspaceId, itemId),
      UpdateExpression: 'SET archived = :archived',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':archived': archived },
    },
  });
