import { createHash } from 'node:crypto';
import type { Commitment } from '#contract/catalogue/commitments';
import type { DeliveryImportReport, ImportRowReport } from '#contract/catalogue/deliveries';
import { csvColumnOf, readDeliveriesCsv } from '#contract/catalogue/deliveries-csv';
import { type DeliveryRow, deliveryRow, maxImportRows } from '#contract/catalogue/schemas-deliveries';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { agreedSk, itemCollectionPk } from '#functions/portfolio/item-collection';
import { answerReserveMs, timeLeftMs } from '#functions/runtime/deadline';
import { ServiceUnavailable } from '#functions/runtime/errors';
import { batchGetMaxKeys, getByKeys, type TableKey } from '#functions/table/batch-get';
import { itemKey } from '#functions/table/entity';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { applyDelivery, type DeliveryContext } from './deliveries';
import { commitmentsByReference, currencyOfAgreed, deliveryKey } from './deliveries-entities';
import { deliveryOf } from './deliveries-input';
import { commitmentKey, toCommitment } from './entities';

/** Commitments whose deliveries are applied side by side; one commitment's rows go one after another, in file order. */
const concurrency = 8;

/** Why a row was left alone when the request ran out of time: importing the same file again skips what was applied. */
const notReached = 'not reached before the request’s time ran out: import the file again, rows already applied are skipped';

interface ValidRow {
  row: number;
  delivery: DeliveryRow;
  key: string;
}

/** A row's identity: the ERP's delivery number, else a hash of what it says, so re-importing it adds nothing twice. */
function rowKey(row: DeliveryRow): string {
  if (row.deliveryRef) return `REF#${row.deliveryRef}`;
  const content = [row.reference, row.date, row.quantity ?? '', row.missed ? 'missed' : '', row.reason ?? '', row.note ?? ''];
  return `HASH#${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}

/** The rows of the body, validated one by one; an invalid row is reported with its column and reason. */
function readRows(body: { csv?: string; rows?: unknown[] }) {
  const source =
    body.csv !== undefined
      ? readDeliveriesCsv(body.csv)
      : { rows: (body.rows ?? []).map((row, index) => ({ line: index + 1, row })), problem: null };
  if (source.problem) throw refuse.invalid(source.problem, 'body.csv');
  if (source.rows.length > maxImportRows)
    throw refuse.invalid(`must hold at most ${maxImportRows} rows`, body.csv !== undefined ? 'body.csv' : 'body.rows');
  const valid: ValidRow[] = [];
  const invalid: ImportRowReport[] = [];
  for (const { line, row } of source.rows) {
    const parsed = deliveryRow.safeParse(row);
    if (parsed.success) {
      valid.push({ row: line, delivery: parsed.data, key: rowKey(parsed.data) });
      continue;
    }
    const issue = parsed.error.issues[0];
    const reference = typeof row === 'object' && row !== null && 'reference' in row ? String(row.reference).slice(0, 120) : '';
    invalid.push({
      row: line,
      reference,
      outcome: 'invalid',
      column: body.csv !== undefined ? csvColumnOf(issue?.path ?? []) : (issue?.path ?? []).map(String).join('.') || 'row',
      reason: issue?.message ?? 'is not a delivery',
    });
  }
  return { valid, invalid };
}

/** Reads commitments and their items' agreed thresholds by exact key, 100 keys a request, side by side. */
async function readByKeys(keys: TableKey[]) {
  const chunks: TableKey[][] = [];
  for (let start = 0; start < keys.length; start += batchGetMaxKeys) chunks.push(keys.slice(start, start + batchGetMaxKeys));
  const found = await Promise.all(chunks.map((chunk) => getByKeys(chunk)));
  return (key: TableKey) => found.map((items) => items.get(key)).find((item) => item !== undefined);
}

/**
 * Imports deliveries from an ERP: each row is matched to the one commitment
 * carrying its reference and applied as a delivery by hand would be (same
 * checks, same transaction, same occurrence and counters). Rows that match
 * no commitment, or several, or are invalid or refused, are reported and
 * change nothing. Requests: the references (BatchGetItems side by side),
 * then the commitments and their thresholds (likewise), then one
 * transaction per applied row.
 */
export async function importDeliveries(
  workspaceId: string,
  body: { csv?: string; rows?: unknown[]; allowOverDelivery?: boolean },
  actor: Caller,
  now: string,
): Promise<DeliveryImportReport> {
  const { valid, invalid } = readRows(body);
  const [matches, today] = await Promise.all([
    commitmentsByReference(
      workspaceId,
      valid.map((row) => row.delivery.reference),
    ),
    workspaceToday(workspaceId, now),
  ]);
  const reports: ImportRowReport[] = [...invalid];
  const byCommitment = new Map<string, { itemId: string; rows: ValidRow[] }>();
  for (const row of valid) {
    const found = matches.get(row.delivery.reference) ?? [];
    const match = found[0];
    if (!match)
      reports.push({
        row: row.row,
        reference: row.delivery.reference,
        outcome: 'not matched',
        reason: 'no commitment carries this reference',
      });
    else if (found.length > 1) {
      reports.push({
        row: row.row,
        reference: row.delivery.reference,
        outcome: 'ambiguous',
        reason: `${found.length} commitments carry this reference`,
      });
    } else {
      const group = byCommitment.get(match.commitmentId) ?? { itemId: match.itemId, rows: [] };
      group.rows.push(row);
      byCommitment.set(match.commitmentId, group);
    }
  }
  const itemIds = [...new Set([...byCommitment.values()].map((group) => group.itemId))];
  const lookup = await readByKeys([
    ...[...byCommitment].map(([commitmentId, group]) => commitmentKey(workspaceId, group.itemId, commitmentId)),
    ...itemIds.map((itemId) => itemKey(itemCollectionPk(workspaceId, itemId), agreedSk)),
    // Rows applied by an earlier import answer "already applied", whatever the commitment became since.
    ...[...byCommitment].flatMap(([commitmentId, group]) =>
      group.rows.map((row) => deliveryKey(workspaceId, commitmentId, row.key)),
    ),
  ]);
  const context = (key: string): DeliveryContext => ({
    actor,
    now,
    today,
    allowOverDelivery: body.allowOverDelivery ?? false,
    key,
    source: 'import',
  });
  const groups = [...byCommitment];
  let slowestRowMs = 0;
  const work = async () => {
    for (let next = groups.shift(); next; next = groups.shift()) {
      const [commitmentId, group] = next;
      const stored = lookup(commitmentKey(workspaceId, group.itemId, commitmentId));
      const currency = currencyOfAgreed(lookup(itemKey(itemCollectionPk(workspaceId, group.itemId), agreedSk)));
      let commitment: Commitment | undefined = stored ? toCommitment(stored) : undefined;
      for (const row of group.rows) {
        const base = { row: row.row, reference: row.delivery.reference, commitmentId };
        if (lookup(deliveryKey(workspaceId, commitmentId, row.key))) {
          reports.push({ ...base, outcome: 'already applied' });
          continue;
        }
        if (!commitment) {
          reports.push({ ...base, outcome: 'not matched', reason: 'the commitment carrying this reference is gone' });
          continue;
        }
        // Rows of one commitment are written one after another: a file of many such rows answers with what it reached.
        if (timeLeftMs() < answerReserveMs + 2 * slowestRowMs) {
          reports.push({ ...base, outcome: 'refused', reason: notReached });
          continue;
        }
        const started = Date.now();
        let outcome: Awaited<ReturnType<typeof applyDelivery>>;
        try {
          outcome = await applyDelivery({ commitment, currency }, deliveryOf(row.delivery), context(row.key));
        } catch (error) {
          // The database stayed busy until the deadline: this row wrote nothing, and the report still goes out.
          if (!(error instanceof ServiceUnavailable)) throw error;
          reports.push({ ...base, outcome: 'refused', reason: notReached });
          continue;
        }
        slowestRowMs = Math.max(slowestRowMs, Date.now() - started);
        if (outcome.kind === 'applied') {
          commitment = outcome.commitment;
          reports.push({ ...base, outcome: 'applied' });
        } else if (outcome.kind === 'already applied') reports.push({ ...base, outcome: 'already applied' });
        else {
          commitment = outcome.current;
          const column =
            outcome.refusal.field === 'quantity' || outcome.refusal.field === 'date' ? { column: outcome.refusal.field } : {};
          reports.push({ ...base, outcome: 'refused', ...column, reason: outcome.refusal.reason });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, work));
  reports.sort((a, b) => a.row - b.row);
  const count = (outcome: ImportRowReport['outcome']) => reports.filter((report) => report.outcome === outcome).length;
  return {
    applied: count('applied'),
    alreadyApplied: count('already applied'),
    notMatched: count('not matched'),
    ambiguous: count('ambiguous'),
    invalid: count('invalid'),
    refused: count('refused'),
    rows: reports,
  };
}
