import type { PlanLine } from '#contract/plan/plan';
import { compareText } from '#contract/text-order';
import { cellsPerChunk, chunkEntity, chunkSk, headEntity, type PlanHead, planPk } from '#functions/plan-record/stored-plan';
import { tableName } from '#functions/table/client';
import { itemKey } from '#functions/table/entity';
import { named, type TransactItem } from '#functions/table/transactions';
import { cycleStillPlanned } from '#functions/thresholds/entities-cycles';

/*
 * The writes of the sales plan, whose record and reads are in
 * functions/plan-record/stored-plan.ts.
 */

const cellsOf = (line: PlanLine) => new Set([...Object.keys(line.volumes), ...Object.keys(line.values)]).size;

/** Lines in chunks of at most {@link cellsPerChunk} cells, in item order. */
export function chunkLines(lines: ReadonlyMap<string, PlanLine>): PlanLine[][] {
  const chunks: PlanLine[][] = [];
  let current: PlanLine[] = [];
  let cells = 0;
  for (const line of [...lines.values()].sort((a, b) => compareText(a.itemId, b.itemId))) {
    const size = cellsOf(line);
    if (cells + size > cellsPerChunk && current.length > 0) {
      chunks.push(current);
      current = [];
      cells = 0;
    }
    current.push(line);
    cells += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export const countCells = (lines: ReadonlyMap<string, PlanLine>) =>
  [...lines.values()].reduce((sum, line) => sum + cellsOf(line), 0);

/**
 * The writes of a new version: its chunks, the previous version's surplus
 * chunks deleted, the head (part `planHead`: fails unless the plan is still
 * at the version read), and a check that the cycle is still being planned
 * (part `cycle`).
 */
export function planVersionWrites(after: PlanHead, chunks: PlanLine[][], before: PlanHead | undefined): TransactItem[] {
  const { workspaceId, cycleId, version } = after;
  const writes: TransactItem[] = chunks.map((lines, index) => chunkEntity.put({ workspaceId, cycleId, version, index, lines }));
  for (let index = chunks.length; index < (before?.chunks ?? 0); index += 1) {
    writes.push({ Delete: { TableName: tableName(), Key: itemKey(planPk(workspaceId, cycleId), chunkSk(index)) } });
  }
  writes.push(
    named(
      'planHead',
      headEntity.put(
        after,
        before
          ? { condition: 'version = :expected', values: { ':expected': before.version } }
          : { condition: 'attribute_not_exists(pk)' },
      ),
    ),
    cycleStillPlanned(workspaceId, cycleId),
  );
  return writes;
}
