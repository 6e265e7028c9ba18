import type { z } from 'zod/mini';
import {
  cellValue,
  type PlanGranularity,
  type PlanLine,
  periodsOf,
  planEditable,
  roundMoney,
  type SalesPlanFamily,
  type SalesPlanItem,
  type SalesPlanSaved,
  type SalesPlanView,
} from '#contract/plan/plan';
import { applyCells, type CellChange, cellProblems, type ResolvedCell } from '#contract/plan/plan-changes';
import { mayEditPlan } from '#contract/plan/policies';
import { maxPlanCells, type saveSalesPlanBody } from '#contract/plan/schemas';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { Refused, refuse } from '#contract/refusal';
import { compareText } from '#contract/text-order';
import type { Caller, MemberView } from '#contract/views';
import type { PlanHead } from '#functions/plan-record/stored-plan';
import { auditPut } from '#functions/table/audit-trail';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { type PlanContext, readPlanContext } from './context';
import { chunkLines, countCells, planVersionWrites } from './entities';

/** One item's line of the plan as the grid shows it. */
function itemLine(item: PortfolioItem, line: PlanLine | undefined): SalesPlanItem {
  const volumes = { ...(line?.volumes ?? {}) };
  const overrides = { ...(line?.values ?? {}) };
  const values: Record<string, number> = {};
  for (const period of new Set([...Object.keys(volumes), ...Object.keys(overrides)])) {
    values[period] = cellValue(volumes[period] ?? 0, overrides[period], item.listPrice);
  }
  return {
    itemId: item.id,
    code: item.code,
    name: item.name,
    kind: item.kind,
    unit: item.unit,
    family: item.family,
    listPrice: item.listPrice,
    volumes,
    values,
    overrides,
    totalVolume: roundMoney(Object.values(volumes).reduce((sum, volume) => sum + volume, 0)),
    totalValue: roundMoney(Object.values(values).reduce((sum, value) => sum + value, 0)),
  };
}

/** Items in use and any archived item the plan still holds, grouped by family (items without one last). */
export function planFamilies(items: readonly PortfolioItem[], lines: ReadonlyMap<string, PlanLine>): SalesPlanFamily[] {
  const byFamily = new Map<string, SalesPlanItem[]>();
  for (const item of items) {
    if (item.archived && !lines.has(item.id)) continue;
    const entry = itemLine(item, lines.get(item.id));
    byFamily.set(item.family, [...(byFamily.get(item.family) ?? []), entry]);
  }
  return [...byFamily.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : compareText(a, b)))
    .map(([family, familyItems]) => {
      const volumes: Record<string, number> = {};
      for (const entry of familyItems) {
        for (const [period, volume] of Object.entries(entry.volumes))
          volumes[period] = roundMoney((volumes[period] ?? 0) + volume);
      }
      return {
        family,
        volumes,
        totalVolume: roundMoney(familyItems.reduce((sum, entry) => sum + entry.totalVolume, 0)),
        totalValue: roundMoney(familyItems.reduce((sum, entry) => sum + entry.totalValue, 0)),
        items: familyItems.sort((a, b) => compareText(a.code, b.code)),
      };
    });
}

const totalsOf = (families: readonly SalesPlanFamily[]) => ({
  totalVolume: roundMoney(families.reduce((sum, family) => sum + family.totalVolume, 0)),
  totalValue: roundMoney(families.reduce((sum, family) => sum + family.totalValue, 0)),
});

export async function getSalesPlanOf(workspaceId: string, cycleId: string): Promise<SalesPlanView> {
  const context = await readPlanContext(workspaceId, cycleId);
  const { cycle, head } = context;
  const families = planFamilies(context.items, context.lines);
  return {
    cycleId: cycle.id,
    cycleName: cycle.name,
    cycleStartDate: cycle.startDate,
    cycleEndDate: cycle.endDate,
    cycleState: cycle.state,
    editable: planEditable(cycle.state),
    granularity: context.granularity,
    periods: context.periods,
    version: head?.version ?? null,
    updatedAt: head?.updatedAt ?? null,
    updatedBy: head?.updatedBy ?? null,
    families,
    ...totalsOf(families),
  };
}

/** Who may write, and whether the cycle still takes a plan; nothing is written when either says no. */
export async function mayWritePlan(context: PlanContext, membership: Promise<MemberView>): Promise<void> {
  const refusal = mayEditPlan(await membership);
  if (refusal) throw new Refused(refusal);
  if (!planEditable(context.cycle.state)) {
    throw refuse.conflict(`The cycle is ${context.cycle.state}: its sales plan is read-only`);
  }
}

/**
 * Writes the cells as the plan's next version, in one transaction with its
 * audit event (what changed, cell by cell up to 50, and the totals). Nothing
 * to change writes nothing and answers the current version.
 */
export async function writePlanVersion(
  context: PlanContext,
  cells: readonly ResolvedCell[],
  options: { granularity: PlanGranularity; source: 'save' | 'csv'; actor: Caller; now: string },
): Promise<SalesPlanSaved> {
  const { cycle, head: before } = context;
  const { lines, changes } = applyCells(context.lines, cells);
  const granularityChanged = (before?.granularity ?? 'month') !== options.granularity;
  const cellCount = countCells(lines);
  if (cellCount > maxPlanCells)
    throw refuse.limit(`A plan holds at most ${maxPlanCells} cells; this one would hold ${cellCount}`);
  const afterTotals = totalsOf(planFamilies(context.items, lines));
  if (changes.length === 0 && !granularityChanged) {
    return { version: before?.version ?? null, changedCells: 0, ...afterTotals };
  }
  const chunks = chunkLines(lines);
  const after: PlanHead = {
    workspaceId: cycle.workspaceId,
    cycleId: cycle.id,
    granularity: options.granularity,
    version: (before?.version ?? 0) + 1,
    chunks: chunks.length,
    cellCount,
    updatedAt: options.now,
    updatedBy: options.actor.email,
  };
  const audit = auditPut({
    workspaceId: cycle.workspaceId,
    actor: options.actor,
    action: options.source === 'csv' ? 'salesPlan.csvApplied' : 'salesPlan.saved',
    entity: 'salesPlan',
    entityId: cycle.id,
    before: before ? { version: before.version, ...totalsOf(planFamilies(context.items, context.lines)) } : null,
    after: { version: after.version, granularity: after.granularity, ...afterTotals, ...changeSummary(changes) },
    at: options.now,
  });
  try {
    await transactWrite([...planVersionWrites(after, chunks, before), audit]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'planHead') {
      throw refuse.conflict('The plan changed since it was read; read it again and redo the change', {
        version: before?.version ?? null,
      });
    }
    if (error instanceof TransactionConditionFailed && error.part === 'cycle') {
      throw refuse.conflict('The cycle was agreed meanwhile: its sales plan is read-only');
    }
    throw error;
  }
  return { version: after.version, changedCells: changes.length, ...afterTotals };
}

/** What a version changed: how many cells, on which items, and the first cells before and after. */
function changeSummary(changes: readonly CellChange[]) {
  return {
    changedCells: changes.length,
    items: [...new Set(changes.map((change) => change.code))].slice(0, 100),
    changes: changes.slice(0, 50),
  };
}

export async function saveSalesPlan(
  params: { workspaceId: string; cycleId: string },
  body: z.output<typeof saveSalesPlanBody>,
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<SalesPlanSaved> {
  const context = await readPlanContext(params.workspaceId, params.cycleId);
  await mayWritePlan(context, membership);
  const current = context.head?.version ?? null;
  if (body.expectedVersion !== current) {
    throw refuse.conflict(`The plan is at version ${current ?? 'none'}, not ${body.expectedVersion ?? 'none'}; read it again`, {
      version: current,
    });
  }
  const granularity = body.granularity ?? context.granularity;
  if (granularity !== context.granularity && context.lines.size > 0) {
    throw refuse.invalid(
      `The plan is entered by ${context.granularity}; empty it before planning by ${granularity}`,
      'body.granularity',
    );
  }
  const periods = periodsOf(context.cycle, granularity);
  const problems = cellProblems(
    body.cells.map((cell, index) => ({ where: `cells[${index}] (${cell.code}, ${cell.period})`, cell })),
    context.itemIdOf,
    periods,
  );
  if (problems.length > 0) throw refuse.invalidFields(problems.slice(0, 50));
  const cells = body.cells.map((cell) => ({
    itemId: context.itemIdOf(cell.code) ?? '',
    code: cell.code.toUpperCase(),
    period: cell.period,
    volume: cell.volume,
    value: cell.value ?? null,
  }));
  return writePlanVersion(context, cells, { granularity, source: 'save', actor, now });
}
