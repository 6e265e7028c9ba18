import { createHash } from 'node:crypto';
import { countCsvPreview, csvUpdateSummary } from '#contract/csv';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { refuse } from '#contract/refusal';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import { frozenCycleRefusal } from '#contract/thresholds/policies';
import { maxThresholdCsvRows } from '#contract/thresholds/schemas';
import type { ThresholdHead } from '#contract/thresholds/thresholds';
import {
  type PlannedThresholdRow,
  planThresholdUpdate,
  readThresholdCsv,
  type ThresholdCsvApplied,
  type ThresholdCsvPreview,
  type ThresholdPreviewRow,
} from '#contract/thresholds/thresholds-csv';
import type { Caller } from '#contract/views';
import { allPortfolioItems } from '#functions/portfolio/entities';
import { auditPut } from '#functions/table/audit-trail';
import { named, type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { refuseIf } from './context';
import { allCycleThresholds } from './entities';
import { cycleStillPlanned, getCycle } from './entities-cycles';
import { nextThresholdVersion } from './thresholds';

/**
 * Rows per transaction: three writes each (head, version, audit event) plus
 * the check that the cycle is still being planned and the summary event,
 * under DynamoDB's 100.
 */
const rowsPerTransaction = 31;

interface Update {
  cycle: BudgetCycle;
  preview: ThresholdCsvPreview;
  planned: PlannedThresholdRow[];
  items: Map<string, PortfolioItem>;
  heads: Map<string, ThresholdHead>;
}

/**
 * Reads a file against the cycle's items and thresholds as they are now. A
 * cycle whose thresholds can no longer change refuses the file whole, as the
 * editor refuses an edit; so do a wrong header and a file without rows.
 */
async function planUpdate(params: { workspaceId: string; cycleId: string }, csv: string): Promise<Update> {
  const { workspaceId, cycleId } = params;
  // Asked for before the file is parsed, so the reads travel beside the membership check.
  const reads = Promise.all([
    getCycle(workspaceId, cycleId),
    allPortfolioItems(workspaceId),
    allCycleThresholds(workspaceId, cycleId),
  ]);
  reads.catch(() => undefined);
  const read = readThresholdCsv(csv, maxThresholdCsvRows);
  const headerProblem = read.errors.find((error) => error.row === 1);
  const [cycle, items, heads] = await reads;
  if (!cycle) throw refuse.notFound('Budget cycle not found');
  refuseIf(frozenCycleRefusal(cycle));
  if (headerProblem) throw refuse.invalid(`The file: ${headerProblem.reason}`, 'csv');
  if (read.rowCount === 0) throw refuse.invalid('the file has no rows', 'csv');
  const planned = planThresholdUpdate(read, items, heads);
  const rows = planned.map((entry) => entry.preview);
  const headByItem = new Map(heads.map((head) => [head.itemId, head]));
  const preview: ThresholdCsvPreview = {
    cycleId,
    delimiter: read.delimiter,
    decimalComma: read.decimalComma,
    counts: countCsvPreview(rows),
    rows,
    token: tokenOf(rows, headByItem),
  };
  return { cycle, preview, planned, items: new Map(items.map((item) => [item.id, item])), heads: headByItem };
}

/**
 * The token names the outcome of every row and the revision of every
 * threshold a row matched: an edit or a sign-off of any of them since the
 * preview gives another token, so an apply never saves over a signature it
 * did not see.
 */
function tokenOf(rows: readonly ThresholdPreviewRow[], heads: ReadonlyMap<string, ThresholdHead>): string {
  const revisions = rows.flatMap((row) => (row.itemId ? [[row.itemId, heads.get(row.itemId)?.revision ?? null]] : []));
  return createHash('sha256').update(JSON.stringify({ rows, revisions })).digest('hex');
}

export async function previewThresholdCsv(
  params: { workspaceId: string; cycleId: string },
  csv: string,
): Promise<ThresholdCsvPreview> {
  return (await planUpdate(params, csv)).preview;
}

interface RowWrite {
  row: ThresholdPreviewRow;
  itemId: string;
  version: number;
  writes: TransactItem[];
}

const rowPart = (row: number) => `row:${row}`;

/**
 * Applies a previewed file: refused while any row is invalid, and with 409
 * when the outcome or a matched threshold changed since the preview. Each
 * new or changed row saves the item's next version exactly as the editor
 * does (its sign-offs start over), in transactions of 31 rows, each on the
 * head as read and on the cycle still being planned; the last carries one
 * summary event. Unchanged rows write nothing, so their sign-offs stand.
 */
export async function applyThresholdCsv(
  params: { workspaceId: string; cycleId: string },
  body: { csv: string; token: string },
  actor: Caller,
  now: string,
): Promise<ThresholdCsvApplied> {
  const { workspaceId } = params;
  const { cycle, preview, planned, items, heads } = await planUpdate(params, body.csv);
  const invalid = preview.rows.flatMap((row) => row.errors);
  if (invalid.length > 0) {
    throw refuse.invalidFields(
      invalid.slice(0, 50).map((error) => ({ field: `row ${error.row}, ${error.column}`, message: error.reason })),
    );
  }
  if (preview.token !== body.token) {
    throw refuse.conflict('The thresholds changed since the preview, or the file did; preview the file again', {
      counts: preview.counts,
    });
  }
  const rowWrites: RowWrite[] = [];
  for (const { preview: row, terms } of planned) {
    const item = row.itemId ? items.get(row.itemId) : undefined;
    if (!terms || !item) continue;
    const head = heads.get(item.id);
    const { after, writes } = nextThresholdVersion({ workspaceId, cycle, item, head, terms }, actor, now);
    const [headWrite, versionWrite, ...rest] = writes;
    if (!headWrite || !versionWrite) continue;
    rowWrites.push({
      row,
      itemId: item.id,
      version: after.version,
      writes: [named(rowPart(row.row), headWrite), named(rowPart(row.row), versionWrite), ...rest],
    });
  }
  const applied: ThresholdCsvApplied = { counts: preview.counts, saved: [] };
  const batches: RowWrite[][] = [];
  for (let start = 0; start < rowWrites.length; start += rowsPerTransaction) {
    batches.push(rowWrites.slice(start, start + rowsPerTransaction));
  }
  if (batches.length === 0) batches.push([]);
  for (const [index, batch] of batches.entries()) {
    const writes = [...batch.flatMap((entry) => entry.writes), cycleStillPlanned(workspaceId, cycle.id)];
    if (index === batches.length - 1) writes.push(summaryEvent(workspaceId, cycle.id, preview, actor, now));
    try {
      await transactWrite(writes);
    } catch (error) {
      throw batchRefusal(error, batch, applied);
    }
    for (const entry of batch) {
      applied.saved.push({ row: entry.row.row, code: entry.row.code, itemId: entry.itemId, version: entry.version });
    }
  }
  return applied;
}

/** One audit event for the whole update: what it did, in counts and codes. */
function summaryEvent(
  workspaceId: string,
  cycleId: string,
  preview: ThresholdCsvPreview,
  actor: Caller,
  now: string,
): TransactItem {
  return auditPut({
    workspaceId,
    actor,
    action: 'thresholds.csvApplied',
    entity: 'cycle',
    entityId: cycleId,
    after: csvUpdateSummary(preview.counts, preview.rows),
    at: now,
  });
}

/** Why a batch was not written, naming the row or the cycle that moved on, and what was already applied. */
function batchRefusal(error: unknown, batch: readonly RowWrite[], applied: ThresholdCsvApplied) {
  if (!(error instanceof TransactionConditionFailed)) return error;
  const done = applied.saved.length;
  const already = done > 0 ? `; ${done} rows before it were applied` : '';
  if (error.part === 'cycle') return refuse.conflict(`The cycle is no longer being planned${already}`, { applied });
  const entry = batch.find((candidate) => rowPart(candidate.row.row) === error.part);
  if (!entry) return error;
  return refuse.conflict(`Row ${entry.row.row}: the threshold of ${entry.row.code} changed since the preview${already}`, {
    applied,
  });
}
