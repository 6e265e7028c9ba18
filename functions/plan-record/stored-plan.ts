import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { type PlanGranularity, type PlanLine, planGranularities } from '#contract/plan/plan';
import { maxPlanCells } from '#contract/plan/schemas';
import type { TableKey } from '#functions/table/batch-get';
import { tableName } from '#functions/table/client';
import { defineEntity, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { queryAll } from '#functions/table/pages';

/*
 * How the sales plan of a cycle is stored: a partition of its own,
 * `WS#<ws>#PLAN#<cycle>`, holding a head (`HEAD`: the current version, its
 * periods and how many chunks it has) and the current version's cells in
 * chunks (`CHUNK#<n>`: the lines of up to a few thousand cells each). The
 * whole plan thus reads in one Query, and a new version is one transaction:
 * its chunks, the stale chunks removed, the head moved on conditional on the
 * version it was based on, and its audit event — whole or not at all
 * (functions/plan/entities.ts writes it).
 *
 * The record and its reads stand here, below the thresholds area, because
 * the threshold editor reads the plan beside a threshold while the plan area
 * reads the thresholds and their cycles.
 */

export const planPk = (workspaceId: string, cycleId: string) => `${workspacePk(workspaceId)}#PLAN#${cycleId}`;
const headSk = 'HEAD';
export const chunkSk = (index: number) => `CHUNK#${String(index).padStart(4, '0')}`;

/** Cells a chunk holds at most: well under DynamoDB's 400 KB per item even for weekly periods. */
export const cellsPerChunk = 6_000;

export interface PlanHead {
  workspaceId: string;
  cycleId: string;
  granularity: PlanGranularity;
  version: number;
  chunks: number;
  cellCount: number;
  updatedAt: string;
  updatedBy: string;
}

export const headEntity = defineEntity({
  type: 'SalesPlanHead',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      cycleId: z.string(),
      granularity: z.enum(planGranularities),
      version: z.number(),
      chunks: z.number(),
      cellCount: z.number(),
      updatedAt: z.string(),
      updatedBy: z.string(),
    }),
  ),
  keys: (head) => itemKey(planPk(head.workspaceId, head.cycleId), headSk),
});

const lineShape = lazySchema(() =>
  z.object({
    itemId: z.string(),
    volumes: z.record(z.string(), z.number()),
    values: z._default(z.record(z.string(), z.number()), () => ({})),
  }),
);

export const chunkEntity = defineEntity({
  type: 'SalesPlanChunk',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      cycleId: z.string(),
      version: z.number(),
      index: z.number(),
      lines: z.array(lineShape),
    }),
  ),
  keys: (chunk) => itemKey(planPk(chunk.workspaceId, chunk.cycleId), chunkSk(chunk.index)),
});

export interface StoredPlan {
  head: PlanHead | undefined;
  lines: Map<string, PlanLine>;
}

/** The current plan of a cycle: its head and the lines of its chunks, in one Query. */
export async function readPlan(workspaceId: string, cycleId: string): Promise<StoredPlan> {
  const records = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': planPk(workspaceId, cycleId) },
      ConsistentRead: true,
    },
    (item) => item,
  );
  return storedPlanOf(
    records.find((item) => item.sk === headSk),
    records.filter((item) => item.sk !== headSk),
  );
}

/**
 * Chunks a version holds at most: a chunk closes only before the line that
 * would take it past {@link cellsPerChunk}, and a line holds two cells a
 * period at most, so every chunk but the last is more than half full.
 */
const maxPlanChunks = Math.ceil(maxPlanCells / (cellsPerChunk / 2)) + 1;

/** The keys of a plan's head and of every chunk it may have, for reading it by key beside other records. */
export function planKeys(workspaceId: string, cycleId: string): TableKey[] {
  const pk = planPk(workspaceId, cycleId);
  return [itemKey(pk, headSk), ...Array.from({ length: maxPlanChunks }, (_, index) => itemKey(pk, chunkSk(index)))];
}

/** The plan from the records {@link planKeys} found; a head naming more chunks than that is read again whole. */
export async function planFromKeys(
  workspaceId: string,
  cycleId: string,
  found: (key: TableKey) => Record<string, unknown> | undefined,
): Promise<StoredPlan> {
  const [headKey, ...chunkKeys] = planKeys(workspaceId, cycleId);
  const headItem = headKey ? found(headKey) : undefined;
  const head = headItem ? headEntity.parse(headItem) : undefined;
  if (head && head.chunks > chunkKeys.length) return readPlan(workspaceId, cycleId);
  const chunkItems: Array<Record<string, unknown>> = [];
  for (const key of chunkKeys) {
    const item = found(key);
    if (item) chunkItems.push(item);
  }
  return storedPlanOf(headItem, chunkItems);
}

function storedPlanOf(headItem: Record<string, unknown> | undefined, chunkItems: Array<Record<string, unknown>>): StoredPlan {
  const head = headItem ? headEntity.parse(headItem) : undefined;
  const lines = new Map<string, PlanLine>();
  if (!head) return { head, lines };
  for (const item of chunkItems) {
    const chunk = chunkEntity.parse(item);
    // Only the chunks the head names: a chunk of another version is never current.
    if (chunk.version !== head.version || chunk.index >= head.chunks) continue;
    for (const line of chunk.lines) lines.set(line.itemId, line);
  }
  return { head, lines };
}
