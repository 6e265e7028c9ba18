import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { isRecord } from '#functions/runtime/guards';
import { workspacePk } from '#functions/table/keys';
import { issueAndMeetingLayouts } from './backup-layouts-issues';
import { keptLayouts } from './backup-layouts-kept';
import { planningLayouts } from './backup-layouts-planning';
import { unservedLayouts } from './backup-layouts-unserved';
import { id, type Rec, type RecordLayout, RecordProblem, type RefKind } from './backup-record-kit';

/**
 * What a restore accepts of each record type, declared once per type: the
 * attributes it may carry (anything else is refused), the ids it carries that
 * must name records of the same backup, and how its keys are built in the
 * restored workspace. Keys are never taken from the file: a record's old
 * keys serve only to read the id of the parent it lives under when the
 * record does not carry it (an attendee's meeting, say), and that id must be
 * a record of the backup too. A record type or attribute added to the store
 * is added here, once, or its backups do not restore.
 */

const layouts: Record<string, RecordLayout> = {
  ...planningLayouts,
  ...unservedLayouts,
  ...keptLayouts,
  ...issueAndMeetingLayouts,
};

/** The layout of a record type, or null for a type Accord does not export. */
export const layoutOf = (type: unknown): RecordLayout | null =>
  typeof type === 'string' && Object.hasOwn(layouts, type) ? (layouts[type] ?? null) : null;

/** Types a backup holds besides the workspace record itself. */
export const restorableTypes = Object.keys(layouts);

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type']);
const keyText = lazySchema(() => z.string().check(z.minLength(1, 'must not be empty')));

/** Checks a record's attributes against its type's layout: throws the first problem. */
export function checkAttributes(record: Rec, layout: RecordLayout, sourceWorkspaceId: string) {
  for (const [name, value] of Object.entries(record)) {
    if (keyAttributes.has(name)) {
      if (!keyText.safeParse(value).success) throw new RecordProblem(name, 'must be a non-empty string');
      continue;
    }
    const schema = Object.hasOwn(layout.attributes, name)
      ? layout.attributes[name]
      : layout.patterns?.find(([pattern]) => pattern.test(name))?.[1];
    if (!schema) throw new RecordProblem(name, `is not an attribute of a ${String(record.type)} record`);
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new RecordProblem(name, parsed.error.issues[0]?.message ?? 'is not valid');
    if (name === 'workspaceId' && value !== sourceWorkspaceId) throw new RecordProblem(name, 'must be the exported workspace');
  }
  for (const name of ['pk', 'sk', ...(layout.required ?? [])]) {
    if (record[name] === undefined || record[name] === null) throw new RecordProblem(name, 'is required');
  }
}

/** The parent id a record lives under, from its old partition key (`WS#<source>#MEETING#<id>`). */
export function parentOf(record: Rec, layout: RecordLayout, sourceWorkspaceId: string): string {
  if (!layout.parent) return '';
  const prefix = `${workspacePk(sourceWorkspaceId)}#${layout.parent.partition}#`;
  const pk = String(record.pk);
  const parent = pk.startsWith(prefix) ? pk.slice(prefix.length) : '';
  if (!id.safeParse(parent).success) {
    throw new RecordProblem('pk', `must be a ${layout.parent.partition.toLowerCase()} partition of the exported workspace`);
  }
  return parent;
}

/** Every id a record points at, with the attribute path that holds it. */
export function refsOf(record: Rec, layout: RecordLayout): Array<{ field: string; kind: RefKind; id: unknown }> {
  const found: Array<{ field: string; kind: RefKind; id: unknown }> = [];
  for (const [path, kind] of layout.refs ?? []) {
    let values: Array<{ field: string; value: unknown }> = [{ field: '', value: record }];
    for (const step of path.split('.')) {
      const list = step.endsWith('[]');
      const name = list ? step.slice(0, -2) : step;
      values = values.flatMap(({ field, value }) => {
        if (!isRecord(value)) return [];
        const inner = value[name];
        const at = field ? `${field}.${name}` : name;
        if (!list) return [{ field: at, value: inner }];
        return Array.isArray(inner) ? inner.map((element, index) => ({ field: `${at}.${index}`, value: element })) : [];
      });
    }
    for (const { field, value } of values) {
      if (value !== null && value !== undefined) found.push({ field, kind, id: value });
    }
  }
  return found;
}
