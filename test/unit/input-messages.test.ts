import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { restoreBody } from '#contract/backup/schemas';
import { expectedVersion, id, list, memberRole, name, pageQuerySchema } from '#contract/common';
import { recordOutcomeBody } from '#contract/meetings/schemas';

/** The message of each issue a value raises against a schema, by dotted path. */
function messages(schema: z.ZodMiniType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('input messages', () => {
  it('words what no schema worded as a plain sentence naming the limit', () => {
    expect(messages(expectedVersion, 0)).toEqual({ '': 'must be at least 1' });
    expect(messages(expectedVersion, 1.5)).toEqual({ '': 'must be a whole number' });
    expect(messages(expectedVersion, 'seven')).toEqual({ '': 'must be a number' });
    expect(messages(z.strictObject({ expectedVersion }), {})).toEqual({ expectedVersion: 'is required' });
    expect(messages(z.number().check(z.minimum(0)), -1)).toEqual({ '': 'must be 0 or more' });
    expect(messages(z.number().check(z.positive()), 0)).toEqual({ '': 'must be more than zero' });
    expect(messages(z.number().check(z.maximum(500)), 501)).toEqual({ '': 'must be at most 500' });
    expect(messages(z.string().check(z.maxLength(120)), 'x'.repeat(121))).toEqual({ '': 'must be at most 120 characters' });
    expect(messages(z.string().check(z.minLength(1)), '')).toEqual({ '': 'must not be empty' });
    expect(messages(z.array(z.string()).check(z.minLength(2)), ['a'])).toEqual({ '': 'must hold at least 2 items' });
    expect(messages(memberRole, 'boss')).toEqual({ '': 'must be one of: admin, manager, rep' });
    expect(messages(z.boolean(), 'yes')).toEqual({ '': 'must be true or false' });
    expect(messages(z.iso.date(), '31/01/2027')).toEqual({ '': 'must be a date (YYYY-MM-DD)' });
  });

  it('names the accepted kinds of a discriminated union, and the limits of a query', () => {
    expect(messages(recordOutcomeBody, { kind: 'rumour' })).toEqual({ kind: 'must be one of: information, decision, action' });
    expect(messages(pageQuerySchema, { limit: '0' })).toEqual({ limit: 'must be at least 1' });
    expect(messages(restoreBody, { format: 'zip' })).toMatchObject({ format: expect.stringMatching(/^must be /) });
  });

  it('keeps the wording a schema gives itself', () => {
    expect(messages(id, 'not-an-id')).toEqual({ '': 'must be an id (UUID)' });
    expect(messages(name(10), ' '.repeat(3))).toEqual({ '': 'must not be empty' });
    expect(messages(list(z.string(), 3), ['a', 'b', 'c', 'd'])).toEqual({ '': 'must hold at most 3 items' });
  });

  it('never answers with zod’s own wording', () => {
    const samples: Array<[z.ZodMiniType, unknown]> = [
      [expectedVersion, null],
      [pageQuerySchema, { limit: 'many', cursor: 5, extra: true }],
      [recordOutcomeBody, { kind: 'decision', agendaItemId: 'x', text: 7, effects: 'none' }],
      [restoreBody, { records: [], pages: [{ records: -1 }] }],
    ];
    for (const [schema, value] of samples) {
      for (const message of Object.values(messages(schema, value))) {
        expect(message).not.toMatch(/^(Invalid|Too (big|small)|Unrecognized)|expected .* received/);
      }
    }
  });
});
