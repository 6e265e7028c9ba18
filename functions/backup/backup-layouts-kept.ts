import * as z from 'zod/mini';
import { keptScopes } from '#contract/catalogue/kept-rate';
import { promiseBands } from '#contract/catalogue/promise';
import { lazySchema } from '#contract/lazy-schema';
import { keptListGsiPk, keptListGsiSk, keptPk, keptSk } from '#functions/catalogue/kept-keys';
import { count, day, email, id, type RecordLayout, RecordProblem } from './backup-record-kit';

const scope = lazySchema(() => z.enum(keptScopes));
const scopeId = lazySchema(() => z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(320)));
const band = lazySchema(() => z.enum(promiseBands));

/**
 * The id a counter's scope names, checked against its scope: an item or a
 * cycle of the backup, a rep's email (a rep who has left keeps their rate),
 * a band, or the exported workspace itself, which becomes the restored one.
 */
function restoredScopeId(workspaceId: string, record: Record<string, unknown>, lookup: Parameters<RecordLayout['keys']>[3]) {
  const name = scope.parse(record.scope);
  const value = String(record.scopeId);
  const fail = (what: string): never => {
    throw new RecordProblem('scopeId', `must be ${what} for the ${name} scope`);
  };
  switch (name) {
    case 'item':
      return lookup('item', value) ? value : fail('a PortfolioItem of the backup');
    case 'cycle':
      return lookup('cycle', value) ? value : fail('a BudgetCycle of the backup');
    case 'rep':
      return email.safeParse(value).success ? value : fail('an email address');
    case 'band':
      return band.safeParse(value).success ? value : fail('a band');
    case 'workspace':
      return value === record.workspaceId ? workspaceId : fail('the exported workspace');
  }
}

/** Promise-kept counters: outside the workspace's collections, found by the export through gsi1 (catalogue/kept-keys.ts). */
export const keptLayouts: Record<string, RecordLayout> = {
  KeptCounter: {
    attributes: {
      workspaceId: id,
      scope,
      scopeId,
      week: day,
      settled: count,
      keptToPromised: count,
      keptToRequested: count,
      partial: count,
      late: count,
      missed: count,
    },
    required: ['workspaceId', 'scope', 'scopeId', 'week'],
    keys: (ws, r, _parent, lookup) => {
      const kind = scope.parse(r.scope);
      const owner = restoredScopeId(ws, r, lookup);
      const week = String(r.week);
      return {
        pk: keptPk(ws, kind, owner),
        sk: keptSk(week),
        gsi1pk: keptListGsiPk(ws),
        gsi1sk: keptListGsiSk(kind, owner, week),
      };
    },
  },
};
