import type { AnyRoute } from '#contract/index';
import type { ReferenceDeclaration, ReferenceKind } from '#contract/references';

/**
 * Reading the reference declarations of the route table against the body
 * schemas, so a test can tell which body fields name other records.
 */

/** Body fields that look like a reference by their name: ids, id lists, people. */
export const looksLikeReference = /(Id|Ids)$|^id$|email|owner|presenter|invit|signer|attendee|copyFrom/i;

interface ZodLike {
  _zod?: { def?: Record<string, unknown> };
}

/** Paths of every leaf of a body schema (`body.links.issueId`; a list's items share the list's path). */
export function bodyFieldPaths(schema: unknown, prefix = 'body'): string[] {
  const def = (schema as ZodLike | undefined)?._zod?.def as Record<string, any> | undefined;
  if (!def) return [];
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([name, field]) =>
        leafOrDeeper(field, `${prefix}.${name}`),
      );
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return bodyFieldPaths(def.innerType, prefix);
    case 'pipe':
      return [...new Set([...bodyFieldPaths(def.in, prefix), ...bodyFieldPaths(def.out, prefix)])];
    case 'array':
      return bodyFieldPaths(def.element, prefix);
    case 'union':
      return [...new Set((def.options as unknown[]).flatMap((option) => bodyFieldPaths(option, prefix)))];
    default:
      return [];
  }
}

function leafOrDeeper(field: unknown, path: string): string[] {
  const deeper = bodyFieldPaths(field, path);
  return deeper.length > 0 ? deeper : [path];
}

export const declarationsOf = (route: AnyRoute): Record<string, ReferenceDeclaration> =>
  ((route as { references?: Record<string, ReferenceDeclaration> }).references ?? {}) as Record<string, ReferenceDeclaration>;

/** The declared fields of a route that name records to check (not those declared as not a reference). */
export function checkedReferences(route: AnyRoute): Array<[string, ReferenceKind]> {
  return Object.entries(declarationsOf(route)).flatMap(([path, declaration]) =>
    typeof declaration === 'string' ? [[path, declaration] as [string, ReferenceKind]] : [],
  );
}

/**
 * A copy of `body` with the field at `path` set to `value`: in a list of
 * values its first entry is replaced (the list keeps its length, so only the
 * reference differs); through a list of objects, its first object is changed.
 */
export function withField(body: unknown, path: string, value: unknown): unknown {
  const parts = path.split('.').slice(1);
  const copy = structuredClone(body) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const [index, part] of parts.entries()) {
    let next = target[part];
    if (Array.isArray(next) && index < parts.length - 1) next = next[0];
    if (index === parts.length - 1) {
      target[part] = Array.isArray(next) ? [value, ...next.slice(1)] : value;
      return copy;
    }
    if (next === undefined || next === null || typeof next !== 'object') throw new Error(`The sample has no ${path}`);
    target = next as Record<string, unknown>;
  }
  return copy;
}

/** Whether the sample body carries the field at `path`. */
export function hasField(body: unknown, path: string): boolean {
  let value: unknown = body;
  for (const part of path.split('.').slice(1)) {
    if (Array.isArray(value)) value = value[0];
    if (value === null || typeof value !== 'object' || !(part in (value as object))) return false;
    value = (value as Record<string, unknown>)[part];
  }
  return value !== undefined && value !== null;
}
