import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { list } from '#contract/common';
import { type AnyRoute, routes } from '#contract/index';
import { unboundedFields } from '#test/support/schema-bounds';

const entries = Object.entries(routes as Record<string, AnyRoute>);

/**
 * Fields whose schema is open on purpose, each with what bounds it instead.
 * A new entry here needs as good a reason; anything else must carry a `.max`.
 */
const boundedElsewhere: Record<string, string> = {
  'restoreWorkspace body.records[]':
    'each record is parsed by the schema of its type when restored; the body is capped by maxBodyBytes and the list by .max',
  'restoreWorkspace body.records[].*': 'as above: the values of a record are checked by its type',
};

describe('bounded input', () => {
  it('gives every string, list and record in every params, query and body schema of the route table a maximum', () => {
    const unbounded: string[] = [];
    let walked = 0;
    for (const [name, route] of entries) {
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = route[part] as z.ZodMiniType | undefined;
        if (!schema) continue;
        walked += 1;
        for (const field of unboundedFields(schema, part)) {
          const key = `${name} ${field.path}`;
          if (!boundedElsewhere[key]) unbounded.push(`${key} (${field.kind})`);
        }
      }
    }
    expect(unbounded).toEqual([]);
    expect(walked).toBeGreaterThan(entries.length);
  });

  it('keeps its exemptions current: each names a field that is still open', () => {
    for (const key of Object.keys(boundedElsewhere)) {
      const [name, path] = key.split(' ') as [string, string];
      const route = (routes as Record<string, AnyRoute>)[name];
      expect(route, key).toBeDefined();
      const part = path.split('.')[0] as 'params' | 'query' | 'body';
      const open = unboundedFields(route?.[part] as z.ZodMiniType | undefined, part).map((field) => field.path);
      expect(open, key).toContain(path);
    }
  });

  it('finds an open field however deep it sits, and passes bounded ones', () => {
    const body = z.strictObject({
      name: z.string().check(z.maxLength(10)),
      id: z.uuid(),
      kind: z.enum(['a', 'b']),
      tags: list(z.string().check(z.maxLength(5)), 3),
      nested: z.optional(z.strictObject({ notes: z.optional(z.array(z.string()).check(z.maxLength(2))) })),
      bag: z.record(z.string().check(z.maxLength(3)), z.number()),
      piped: z.pipe(z.string().check(z.trim(), z.maxLength(4)), z.string()),
      loose: z.catchall(z.object({ a: z.string().check(z.maxLength(1)) }), z.unknown()),
      either: z.union([z.number(), z.string()]),
    });
    expect(unboundedFields(body, 'body')).toEqual([
      { path: 'body.nested.notes[]', kind: 'string' },
      { path: 'body.bag', kind: 'record' },
      { path: 'body.piped', kind: 'string' },
      { path: 'body.loose.*', kind: 'catchall' },
      { path: 'body.either', kind: 'string' },
    ]);
  });
});
