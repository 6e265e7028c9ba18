import { type ImportReport, readPortfolioCsv } from '#contract/portfolio/portfolio-csv';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { capReached, counterAttribute, workspaceCaps } from '#functions/workspaces/limits';
import { listMembers } from '#functions/workspaces/workspaces';
import { codeTaken, itemCapIncrement, newItem, newItemWrites } from './items';

/** Rows per import transaction: three writes each plus the cap counter stays under DynamoDB's 100 per transaction. */
const importChunk = 30;

/** The name of the code marker of the row at `row`, so a taken code names its row. */
const codePart = (row: number) => `portfolioCode:${row}`;

/**
 * Imports the valid rows of a CSV file, many rows per transaction so a full
 * file fits in one Lambda invocation. A row whose code is taken fails its
 * transaction on that row's code marker: that row is reported and the rest retried.
 */
export async function importPortfolioItems(workspaceId: string, csv: string, actor: Caller, now: string): Promise<ImportReport> {
  const read = readPortfolioCsv(csv);
  if (read.rowCount === 0 && read.errors.length === 0) throw refuse.invalid('the file has no rows', 'csv');
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
      const writes = pending.flatMap((entry) => newItemWrites(entry.item, actor, now, codePart(entry.row)));
      try {
        await transactWrite([...writes, itemCapIncrement(workspaceId, now, pending.length)]);
        for (const entry of pending) report.items.push({ row: entry.row, code: entry.item.code, id: entry.item.id });
        report.imported += pending.length;
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionConditionFailed)) throw error;
        if (error.part === 'itemCap') {
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
        const refused = pending.find((entry) => codePart(entry.row) === error.part);
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
