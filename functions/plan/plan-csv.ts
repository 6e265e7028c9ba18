import { createHash } from 'node:crypto';
import type { SalesPlanSaved } from '#contract/plan/plan';
import { cellProblems } from '#contract/plan/plan-changes';
import {
  countPlanPreview,
  type PlanCsvRead,
  type PlanPreviewRow,
  previewPlanRows,
  readPlanCsv,
  type SalesPlanCsvPreview,
} from '#contract/plan/plan-csv';
import { maxPlanCsvRows } from '#contract/plan/schemas';
import { refuse } from '#contract/refusal';
import type { Caller, MemberView } from '#contract/views';
import { type PlanContext, readPlanContext } from './context';
import { mayWritePlan, writePlanVersion } from './sales-plan';

interface PlanUpdate {
  context: PlanContext;
  read: PlanCsvRead;
  preview: SalesPlanCsvPreview;
}

/** Reads a file against the plan as it is now: a wrong header or a file without rows is refused whole. */
async function planUpdate(params: { workspaceId: string; cycleId: string }, csv: string): Promise<PlanUpdate> {
  const read = readPlanCsv(csv, maxPlanCsvRows);
  const headerProblem = read.errors.find((error) => error.row === 1);
  if (headerProblem) throw refuse.invalid(`The file: ${headerProblem.reason}`, 'csv');
  if (read.rowCount === 0) throw refuse.invalid('the file has no rows', 'csv');
  const context = await readPlanContext(params.workspaceId, params.cycleId);
  const problems = cellProblems(
    read.rows.map((row) => ({ where: `row ${row.row}`, cell: row })),
    context.itemIdOf,
    context.periods,
  );
  const rows = previewPlanRows(read, problems, context.lines, context.itemIdOf);
  const planVersion = context.head?.version ?? null;
  const preview: SalesPlanCsvPreview = {
    delimiter: read.delimiter,
    decimalComma: read.decimalComma,
    counts: countPlanPreview(rows),
    rows,
    token: tokenOf(params, rows, planVersion),
    planVersion,
  };
  return { context, read, preview };
}

/** Names the plan (workspace and cycle), every row's outcome and the plan version they were computed against. */
const tokenOf = (plan: { workspaceId: string; cycleId: string }, rows: readonly PlanPreviewRow[], version: number | null) =>
  createHash('sha256')
    .update(JSON.stringify({ workspaceId: plan.workspaceId, cycleId: plan.cycleId, rows, version }))
    .digest('hex');

export async function previewSalesPlanCsv(
  params: { workspaceId: string; cycleId: string },
  csv: string,
): Promise<SalesPlanCsvPreview> {
  return (await planUpdate(params, csv)).preview;
}

/**
 * Applies a previewed file as the plan's next version: refused while a row
 * is invalid (each named by row and column), and with 409 when the plan or
 * the file changed since the preview. All rows land in one version, or none.
 */
export async function applySalesPlanCsv(
  params: { workspaceId: string; cycleId: string },
  body: { csv: string; token: string },
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<SalesPlanSaved> {
  const { context, read, preview } = await planUpdate(params, body.csv);
  await mayWritePlan(context, membership);
  const invalid = preview.rows.flatMap((row) => row.errors);
  if (invalid.length > 0) {
    throw refuse.invalidFields(
      invalid.slice(0, 50).map((error) => ({ field: `row ${error.row}, ${error.column}`, message: error.reason })),
    );
  }
  if (preview.token !== body.token) {
    throw refuse.conflict('The plan changed since the preview, or the file did; preview the file again', {
      counts: preview.counts,
    });
  }
  const cells = read.rows.map((row) => ({
    itemId: context.itemIdOf(row.code) ?? '',
    code: row.code,
    period: row.period,
    volume: row.volume,
    value: row.value,
  }));
  return writePlanVersion(context, cells, { granularity: context.granularity, source: 'csv', actor, now });
}
