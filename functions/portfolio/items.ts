import { randomUUID } from 'node:crypto';
import { staleItemRefusal } from '#contract/portfolio/policies';
import { normaliseCode, type PortfolioItem, type PortfolioKind } from '#contract/portfolio/portfolio';
import { Refused, refuse } from '#contract/refusal';
import type { CatalogueEntry } from '#contract/thresholds/thresholds';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { brokenReference, referenceChecks, referencesOf } from '#functions/table/references';
import { named, type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { capIncrement, capReached, workspaceCaps } from '#functions/workspaces/limits';
import {
  deleteCodeMarker,
  getPortfolioRecord,
  portfolioItemEntity,
  publicationArchivedUpdate,
  putCodeMarker,
  putNewItem,
  updateItem,
} from './entities';

/** What a new item is made from: the rest is the item's own bookkeeping. */
export type NewPortfolioItem = Pick<PortfolioItem, 'code' | 'name' | 'kind' | 'unit' | 'description' | 'owner'> &
  Partial<Pick<PortfolioItem, 'family' | 'listPrice'>>;

/** Another item holds the code: the refusal names the field and, when known, that item. */
export function codeTaken(code: string, current?: Record<string, unknown>) {
  return refuse.conflict(`The code ${code} is already used by another portfolio item`, {
    field: 'code',
    current: current ? { itemId: current.itemId } : undefined,
  });
}

export function newItem(workspaceId: string, input: NewPortfolioItem, now: string): PortfolioItem {
  return {
    id: randomUUID(),
    workspaceId,
    ...input,
    family: input.family ?? '',
    listPrice: input.listPrice ?? null,
    code: normaliseCode(input.code),
    archived: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The writes that add an item: its code marker (named `codePart`), the item, its audit event. */
export function newItemWrites(item: PortfolioItem, actor: Caller, now: string, codePart?: string): TransactItem[] {
  return [
    putCodeMarker(item.workspaceId, item.code, item.id, codePart),
    putNewItem(item),
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

/** The workspace's item counter grows by `count`; part `itemCap` fails when that would pass the cap. */
export const itemCapIncrement = (workspaceId: string, now: string, count = 1) =>
  named('itemCap', capIncrement(workspaceId, 'portfolioItems', workspaceCaps.portfolioItems, now, count));

/** Adds an item; refused when its code is taken in the workspace. */
export async function createPortfolioItem(
  workspaceId: string,
  input: NewPortfolioItem,
  actor: Caller,
  now: string,
): Promise<PortfolioItem> {
  const item = newItem(workspaceId, input, now);
  const writes = [...newItemWrites(item, actor, now), itemCapIncrement(workspaceId, now)];
  writes.push(...(await referenceChecks(workspaceId, referencesOf('body.owner', 'member', [input.owner]), writes)));
  try {
    await transactWrite(writes);
  } catch (error) {
    const refused = brokenReference(error, writes);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.part === 'portfolioCode') throw codeTaken(item.code, error.current);
    if (error instanceof TransactionConditionFailed && error.part === 'itemCap') {
      throw capReached('portfolioItems', workspaceCaps.portfolioItems);
    }
    throw error;
  }
  return item;
}

export async function requirePortfolioItem(workspaceId: string, itemId: string): Promise<PortfolioItem> {
  return (await requireRecord(workspaceId, itemId)).item;
}

export async function getCatalogueEntry(workspaceId: string, itemId: string): Promise<CatalogueEntry> {
  return requireRecord(workspaceId, itemId);
}

async function requireRecord(workspaceId: string, itemId: string): Promise<CatalogueEntry> {
  const record = await getPortfolioRecord(workspaceId, itemId);
  if (!record) throw refuse.notFound('Portfolio item not found');
  return record;
}

export interface PortfolioChange {
  code?: string;
  name?: string;
  kind?: PortfolioKind;
  unit?: string;
  description?: string;
  owner?: string | null;
  family?: string;
  listPrice?: number | null;
  archived?: boolean;
  expectedVersion: number;
}

/** Edits or archives an item, conditional on its version; a new code swaps the code marker in the same transaction. */
export async function updatePortfolioItem(
  workspaceId: string,
  itemId: string,
  change: PortfolioChange,
  actor: Caller,
  now: string,
): Promise<PortfolioItem> {
  const { item: before, agreed } = await requireRecord(workspaceId, itemId);
  const stale = staleItemRefusal(before, change.expectedVersion);
  if (stale) throw new Refused(stale);
  const { expectedVersion, ...fields } = change;
  const after: PortfolioItem = {
    ...before,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    code: normaliseCode(fields.code ?? before.code),
    updatedAt: now,
    version: before.version + 1,
  };
  const writes: TransactItem[] = [updateItem(after, expectedVersion)];
  const codeChanged = after.code !== before.code;
  if (codeChanged) {
    writes.push(putCodeMarker(workspaceId, after.code, itemId), deleteCodeMarker(workspaceId, before.code));
  }
  if (after.archived !== before.archived && agreed) {
    writes.push(publicationArchivedUpdate(workspaceId, itemId, after.archived));
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
    if (error instanceof TransactionConditionFailed && error.part === 'portfolioItem') {
      throw refuse.conflict(`The item changed since version ${expectedVersion}`, {
        current: error.current ? portfolioItemEntity.parse(error.current) : undefined,
      });
    }
    if (error instanceof TransactionConditionFailed && error.part === 'portfolioCode') throw codeTaken(after.code);
    throw error;
  }
  return after;
}
