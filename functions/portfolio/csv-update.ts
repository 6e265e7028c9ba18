import { createHash } from 'node:crypto';
import { csvUpdateSummary } from '#contract/csv';
import {
  countPreview,
  type PortfolioCsvApplied,
  type PortfolioCsvPreview,
  type PreviewRow,
  planPortfolioUpdate,
} from '#contract/portfolio/csv-update';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { type PortfolioCsvRead, readPortfolioCsv } from '#contract/portfolio/portfolio-csv';
import { maxCsvUpdateRows } from '#contract/portfolio/schemas';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { capReached, workspaceCaps } from '#functions/workspaces/limits';
import { listMembers } from '#functions/workspaces/workspaces';
import { allPortfolioItems, updateItem } from './entities';
import { codeTaken, itemCapIncrement, newItem, newItemWrites } from './items';

/** Writes per transaction, under DynamoDB's 100, leaving room for the cap counter and the summary. */
const maxWritesPerTransaction = 96;

/** Reads the file for an update: a file whose header is wrong, or that has no rows, is refused whole. */
function readForUpdate(csv: string): PortfolioCsvRead {
  const read = readPortfolioCsv(csv, maxCsvUpdateRows);
  const headerProblem = read.errors.find((error) => error.row === 1);
  if (headerProblem) throw refuse.invalid(`The file's ${headerProblem.field}: ${headerProblem.reason}`, 'csv');
  if (read.rowCount === 0) throw refuse.invalid('the file has no rows', 'csv');
  return read;
}

interface Plan {
  preview: PortfolioCsvPreview;
  byId: Map<string, PortfolioItem>;
  items: PortfolioCsvRead['items'];
}

/** The preview of a file against the portfolio as it is now, and what it was computed from. */
async function planUpdate(workspaceId: string, csv: string): Promise<Plan> {
  // The items are asked for before the file is parsed, so the read travels beside the membership check
  // instead of after it (a long file takes a while to parse).
  const itemsRead = allPortfolioItems(workspaceId);
  itemsRead.catch(() => undefined);
  const read = readForUpdate(csv);
  const namesOwner = read.items.some((entry) => entry.item.owner);
  const [items, members] = await Promise.all([itemsRead, namesOwner ? listMembers(workspaceId) : Promise.resolve([])]);
  const rows = planPortfolioUpdate(read, items, new Set(members.map((member) => member.email)));
  const byId = new Map(items.map((item) => [item.id, item]));
  const preview: PortfolioCsvPreview = {
    delimiter: read.delimiter,
    decimalComma: read.decimalComma,
    counts: countPreview(rows),
    rows,
    token: tokenOf(rows, byId),
  };
  return { preview, byId, items: read.items };
}

/**
 * The token names the outcome of every row and the version of every item a
 * row matched: an edit of any of them since the preview (even one that left
 * the fields as the file has them) gives another token.
 */
function tokenOf(rows: readonly PreviewRow[], byId: ReadonlyMap<string, PortfolioItem>): string {
  const versions = rows.flatMap((row) => (row.itemId ? [[row.itemId, byId.get(row.itemId)?.version ?? 0]] : []));
  return createHash('sha256').update(JSON.stringify({ rows, versions })).digest('hex');
}

export async function previewPortfolioCsv(workspaceId: string, csv: string): Promise<PortfolioCsvPreview> {
  return (await planUpdate(workspaceId, csv)).preview;
}

interface RowWrite {
  row: PreviewRow;
  writes: TransactItem[];
  created?: PortfolioItem;
}

const rowPart = (row: number) => `row:${row}`;

/**
 * Applies a previewed file: refused while any row is invalid, and when the
 * outcome differs from the preview's (409: preview again). Rows are written
 * in transactions of up to 96 writes (32 new rows or 48 changed ones), each
 * with its items' audit events; the last also carries one summary event of
 * the whole update. Every write is conditional (a code not taken, an item
 * still at the version read), so a racing twin of the apply gets 409.
 */
export async function applyPortfolioCsv(
  workspaceId: string,
  csv: string,
  token: string,
  actor: Caller,
  now: string,
): Promise<PortfolioCsvApplied> {
  const { preview, byId, items } = await planUpdate(workspaceId, csv);
  const invalid = preview.rows.flatMap((row) => row.errors);
  if (invalid.length > 0) {
    throw refuse.invalidFields(invalid.map((error) => ({ field: `row ${error.row}, ${error.field}`, message: error.reason })));
  }
  if (preview.token !== token) {
    throw refuse.conflict('The portfolio changed since the preview, or the file did; preview the file again', {
      counts: preview.counts,
    });
  }
  const fieldsByRow = new Map(items.map((entry) => [entry.row, entry.item]));
  const rowWrites: RowWrite[] = [];
  for (const row of preview.rows) {
    const fields = fieldsByRow.get(row.row);
    if (!fields) continue;
    if (row.kind === 'new') {
      const created = newItem(workspaceId, fields, now);
      rowWrites.push({ row, created, writes: newItemWrites(created, actor, now, rowPart(row.row)) });
    } else if (row.kind === 'changed' && row.itemId) {
      const before = byId.get(row.itemId);
      if (!before) continue;
      const changed = Object.fromEntries(row.changes.map((change) => [change.field, fields[change.field]]));
      const after: PortfolioItem = { ...before, ...changed, updatedAt: now, version: before.version + 1 };
      rowWrites.push({
        row,
        writes: [
          updateItem(after, before.version, rowPart(row.row)),
          auditPut({
            workspaceId,
            actor,
            action: 'portfolioItem.updated',
            entity: 'portfolioItem',
            entityId: after.id,
            before,
            after,
            at: now,
          }),
        ],
      });
    }
  }
  const applied: PortfolioCsvApplied = { counts: preview.counts, created: [], updated: [] };
  const batches = batchesOf(rowWrites);
  for (const [index, batch] of batches.entries()) {
    const writes = batch.flatMap((entry) => entry.writes);
    const newCount = batch.filter((entry) => entry.created).length;
    if (newCount > 0) writes.push(itemCapIncrement(workspaceId, now, newCount));
    if (index === batches.length - 1) writes.push(summaryEvent(workspaceId, preview, actor, now));
    try {
      await transactWrite(writes);
    } catch (error) {
      throw batchRefusal(error, batch, applied);
    }
    for (const entry of batch) {
      const record = { row: entry.row.row, code: entry.row.code, id: entry.created?.id ?? entry.row.itemId ?? '' };
      (entry.created ? applied.created : applied.updated).push(record);
    }
  }
  if (batches.length === 0) await transactWrite([summaryEvent(workspaceId, preview, actor, now)]);
  return applied;
}

function batchesOf(rowWrites: readonly RowWrite[]): RowWrite[][] {
  const batches: RowWrite[][] = [];
  let current: RowWrite[] = [];
  let size = 0;
  for (const entry of rowWrites) {
    if (size + entry.writes.length > maxWritesPerTransaction) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entry.writes.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** One audit event for the whole update: what it did, row by row in counts. */
function summaryEvent(workspaceId: string, preview: PortfolioCsvPreview, actor: Caller, now: string): TransactItem {
  return auditPut({
    workspaceId,
    actor,
    action: 'portfolio.csvApplied',
    entity: 'portfolio',
    entityId: workspaceId,
    after: csvUpdateSummary(preview.counts, preview.rows),
    at: now,
  });
}

/** Why a batch was not written, naming the row that moved on since the validation and what was already applied. */
function batchRefusal(error: unknown, batch: readonly RowWrite[], applied: PortfolioCsvApplied) {
  if (!(error instanceof TransactionConditionFailed)) return error;
  const done = applied.created.length + applied.updated.length;
  const already = done > 0 ? `; ${done} rows before it were applied` : '';
  if (error.part === 'itemCap') {
    return refuse.limit(`${capReached('portfolioItems', workspaceCaps.portfolioItems).message}${already}`, { applied });
  }
  const entry = batch.find((candidate) => rowPart(candidate.row.row) === error.part);
  if (!entry) return error;
  if (entry.created) return refuse.conflict(`Row ${entry.row.row}: ${codeTaken(entry.row.code).message}${already}`, { applied });
  return refuse.conflict(`Row ${entry.row.row}: ${entry.row.code} changed since the preview${already}`, { applied });
}
