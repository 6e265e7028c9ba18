import * as z from 'zod/mini';
import type { WorkspaceExport } from '#contract/backup/backup';
import { approvalBandChoices } from '#contract/catalogue/approval';
import { csvDecimalNames, csvDelimiterNames } from '#contract/csv';
import { lazySchema } from '#contract/lazy-schema';
import { refuse as refusal } from '#contract/refusal';
import { workspacePk } from '#functions/table/keys';
import { type RecordKeys, type RecordLayout, RecordProblem, type RefKind, refKinds, refTargets } from './backup-record-kit';
import { checkAttributes, layoutOf, parentOf, refsOf } from './backup-records';

type Rec = Record<string, unknown>;

/**
 * The checks a backup's records pass before a restore writes any of them,
 * each refusing with 400 naming the record and the attribute.
 */

/** Deepest nesting of lists and maps inside a record: the deepest record Accord writes is 5. */
export const maxRecordDepth = 8;
/** DynamoDB's item limit is 400 KB; a record keeps a margin for the keys and marks a restore adds. */
export const maxRecordBytes = 400 * 1024 - 4096;
/** Half of a UTF-16 pair without its other half: no UTF-8 text, so DynamoDB cannot store it. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** DynamoDB's number range that the document client writes without loss. */
const smallestNumber = 1e-128;

function refuse(index: number, field: string, problem: string, type?: unknown): never {
  const what = typeof type === 'string' && type.length <= 40 ? `record ${index} (${type})` : `record ${index}`;
  throw refusal.invalid(`${problem}, in ${what}`, `body.records.${index}.${field}`);
}

/**
 * Walks a record without recursion, so no nesting can overflow the stack,
 * and before anything recursive (the seal's serialisation, the database
 * client's conversion) sees it: depth, values DynamoDB cannot store, and
 * the item's size as DynamoDB counts it.
 */
export function checkShape(record: Rec, index: number) {
  let bytes = 0;
  const stack: Array<{ value: unknown; depth: number; field: string }> = [];
  for (const [name, value] of Object.entries(record)) {
    bytes += Buffer.byteLength(name);
    stack.push({ value, depth: 0, field: name });
  }
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, depth, field } = next;
    if (typeof value === 'string') {
      if (loneSurrogate.test(value)) refuse(index, field, 'holds text that is not valid Unicode', record.type);
      bytes += Buffer.byteLength(value);
    } else if (typeof value === 'number') {
      const size = Math.abs(value);
      if (!Number.isFinite(value) || size > Number.MAX_SAFE_INTEGER || (size !== 0 && size < smallestNumber)) {
        refuse(index, field, 'holds a number out of range', record.type);
      }
      bytes += Math.ceil(String(value).replace(/^-|\.|e.*$/g, '').length / 2) + 1;
    } else if (typeof value === 'boolean' || value === null) {
      bytes += 1;
    } else if (typeof value === 'object') {
      if (depth >= maxRecordDepth) refuse(index, field, `nests deeper than ${maxRecordDepth} levels`, record.type);
      bytes += 3;
      const entries = Array.isArray(value) ? value.map((element, at) => [String(at), element] as const) : Object.entries(value);
      for (const [name, element] of entries) {
        if (!Array.isArray(value)) {
          if (name === '') refuse(index, field, 'holds a map with an empty name', record.type);
          bytes += Buffer.byteLength(name);
        }
        bytes += 1;
        stack.push({ value: element, depth: depth + 1, field: `${field}.${name}` });
      }
    } else {
      refuse(index, field, 'holds a value JSON cannot carry', record.type);
    }
    if (bytes > maxRecordBytes) refuse(index, field, `makes the record larger than ${maxRecordBytes} bytes`, record.type);
  }
}

const workspaceRecord = {
  attributes: {
    id: lazySchema(() => z.uuid()),
    name: lazySchema(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'))),
    createdAt: lazySchema(() => z.string()),
    createdBy: lazySchema(() => z.string()),
    updatedAt: lazySchema(() => z.string()),
    version: lazySchema(() => z.number()),
    adminCount: lazySchema(() => z.number()),
    restoredFrom: lazySchema(() => z.uuid()),
    timeZone: lazySchema(() => z.string()),
    currency: lazySchema(() => z.string()),
    csvDelimiter: lazySchema(() => z.enum(csvDelimiterNames)),
    csvDecimal: lazySchema(() => z.enum(csvDecimalNames)),
    approvalBands: lazySchema(() => z.array(z.enum(approvalBandChoices))),
  },
  patterns: [[/^\w{1,60}Count$/, lazySchema(() => z.int().check(z.nonnegative()))]],
  required: ['id', 'name'],
  keys: () => ({ pk: '', sk: '' }),
} satisfies RecordLayout;

/** A record of the backup checked and re-keyed for the restored workspace: its attributes, without keys. */
export interface CheckedRecord {
  index: number;
  type: string;
  keys: RecordKeys;
  attributes: Rec;
}

/**
 * Parses every record by the layout of its type, checks that every id it
 * points at is a record of the same backup, and builds its keys in the
 * restored workspace. Returns the workspace record and the others.
 */
export function checkRecords(data: WorkspaceExport, targetId: string): { source: Rec; records: CheckedRecord[] } {
  const sourcePk = workspacePk(data.workspaceId);
  let source: Rec | undefined;
  const known = new Map<RefKind, Map<string, Rec>>();
  const kindOfType = new Map(refKinds.map((kind) => [refTargets[kind].type, kind]));
  for (const [index, record] of data.records.entries()) {
    const problem = (error: unknown): never => {
      if (error instanceof RecordProblem) refuse(index, error.field, error.problem, record.type);
      throw error;
    };
    if (record.type === 'Workspace') {
      if (source) refuse(index, 'type', 'is a second workspace record', record.type);
      if (record.pk !== sourcePk || record.sk !== 'WORKSPACE') refuse(index, 'pk', 'must be the exported workspace');
      try {
        checkAttributes(record, workspaceRecord, data.workspaceId);
      } catch (error) {
        problem(error);
      }
      if (record.id !== data.workspaceId) refuse(index, 'id', 'must be the exported workspace', record.type);
      source = record;
      continue;
    }
    const layout = layoutOf(record.type);
    if (!layout) refuse(index, 'type', 'is not a record type Accord exports');
    const pk = String(record.pk);
    if (pk !== sourcePk && !pk.startsWith(`${sourcePk}#`)) {
      refuse(index, 'pk', 'must be a partition of the exported workspace', record.type);
    }
    try {
      checkAttributes(record, layout, data.workspaceId);
    } catch (error) {
      problem(error);
    }
    const kind = kindOfType.get(String(record.type));
    if (kind) {
      const byId = known.get(kind) ?? new Map<string, Rec>();
      known.set(kind, byId);
      byId.set(String(record[refTargets[kind].field]), record);
    }
  }
  if (!source) throw refusal.invalid('hold no workspace record', 'body.records');

  const lookup = (kind: RefKind, id: string) => known.get(kind)?.get(id);
  const seen = new Map<string, number>();
  const records = data.records.flatMap((record, index): CheckedRecord[] => {
    if (record === source) return [];
    const layout = layoutOf(record.type);
    if (!layout) return [];
    try {
      const parent = parentOf(record, layout, data.workspaceId);
      if (layout.parent && !lookup(layout.parent.kind, parent)) {
        throw new RecordProblem('pk', `names a ${refTargets[layout.parent.kind].type} that is not in the backup`);
      }
      for (const ref of refsOf(record, layout)) {
        if (typeof ref.id !== 'string' || !lookup(ref.kind, ref.id)) {
          throw new RecordProblem(ref.field, `must name a ${refTargets[ref.kind].type} of the backup`);
        }
      }
      const keys = layout.keys(targetId, record, parent, lookup);
      const key = `${keys.pk}\u0000${keys.sk}`;
      const first = seen.get(key);
      if (first !== undefined) throw new RecordProblem('sk', `is the same record as record ${first}`);
      seen.set(key, index);
      const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...attributes } = record;
      return [{ index, type: String(record.type), keys, attributes }];
    } catch (error) {
      if (error instanceof RecordProblem) refuse(index, error.field, error.problem, record.type);
      throw error;
    }
  });
  return { source, records };
}
