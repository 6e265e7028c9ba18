import { randomUUID } from 'node:crypto';
import { normaliseCode, type PortfolioItem, type PortfolioKind } from '../domain/portfolio';
import type { Caller } from '../domain/views';
import { Conflict } from '../lib/errors';
import { auditPut } from './audit';
import { tableName } from './client';
import { workspacePk } from './keys';
import { capIncrement, capReached, workspaceCaps } from './limits';
import { type Page, queryAll, queryPage } from './pages';
import { TransactionConditionFailed, transactWrite } from './transactions';

/**
 * Portfolio items live in the workspace partition under `ITEM#<id>`. A
 * `CODE#<code>` marker item makes codes unique per workspace: it is put in the
 * same transaction, conditional on not existing.
 */
const itemKey = (workspaceId: string, itemId: string) => ({ pk: workspacePk(workspaceId), sk: `ITEM#${itemId}` });
const codeKey = (workspaceId: string, code: string) => ({ pk: workspacePk(workspaceId), sk: `CODE#${code}` });

function toItem(item: Record<string, unknown>): PortfolioItem {
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

export interface NewPortfolioItem {
  code: string;
  name: string;
  kind: PortfolioKind;
  unit: string;
  description: string;
  owner: string | null;
}

/** Adds an item; 409 when its code is taken in the workspace. */
export async function createPortfolioItem(
  workspaceId: string,
  input: NewPortfolioItem,
  actor: Caller,
  now: string,
): Promise<PortfolioItem> {
  const item: PortfolioItem = {
    id: randomUUID(),
    workspaceId,
    ...input,
    code: normaliseCode(input.code),
    archived: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: { ...codeKey(workspaceId, item.code), type: 'PortfolioCode', itemId: item.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: tableName(), Item: { ...itemKey(workspaceId, item.id), type: 'PortfolioItem', ...item } } },
      capIncrement(workspaceId, 'portfolioItems', workspaceCaps.portfolioItems, now),
      auditPut({
        workspaceId,
        actor,
        action: 'portfolioItem.created',
        entity: 'portfolioItem',
        entityId: item.id,
        after: item,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The code ${item.code} is already used by another portfolio item`);
    }
    if (error instanceof TransactionConditionFailed && error.index === 2) {
      throw capReached('portfolioItems', workspaceCaps.portfolioItems);
    }
    throw error;
  }
  return item;
}

const itemsQuery = (workspaceId: string) => ({
  TableName: tableName(),
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
  ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': 'ITEM#' },
});

/** One page of a workspace's portfolio items, in id order; the screen sorts what it shows. */
export function listPortfolioItemsPage(
  workspaceId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<PortfolioItem>> {
  return queryPage(itemsQuery(workspaceId), page, toItem);
}

/** Every portfolio item of a workspace, ordered by code; bounded by the workspace's item cap. */
export async function listPortfolioItems(workspaceId: string): Promise<PortfolioItem[]> {
  const items = await queryAll(itemsQuery(workspaceId), toItem);
  return items.sort((a, b) => a.code.localeCompare(b.code));
}
