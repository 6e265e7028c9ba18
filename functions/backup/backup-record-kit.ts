import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';

/** The vocabulary of the per-type record layouts a restore checks a backup against. */
export type Rec = Record<string, unknown>;
export interface RecordKeys {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
}

/** The kinds of record another record may point at, and the attribute that is their id. */
export const refKinds = ['item', 'cycle', 'issue', 'meeting', 'agenda', 'commitment', 'occurrence'] as const;
export type RefKind = (typeof refKinds)[number];
export const refTargets: Record<RefKind, { type: string; field: string }> = {
  item: { type: 'PortfolioItem', field: 'id' },
  cycle: { type: 'BudgetCycle', field: 'id' },
  issue: { type: 'MisalignmentIssue', field: 'id' },
  meeting: { type: 'Meeting', field: 'id' },
  agenda: { type: 'AgendaEntry', field: 'id' },
  commitment: { type: 'Commitment', field: 'id' },
  occurrence: { type: 'Occurrence', field: 'id' },
};

/** Lets a key builder read what it needs of another record of the backup (a code marker reads its item's code). */
export type Lookup = (kind: RefKind, id: string) => Rec | undefined;

export interface RecordLayout {
  attributes: Record<string, z.ZodMiniType>;
  /** Attribute names of a pattern (an issue's `cost#<type>`), with their schema. */
  patterns?: Array<[RegExp, z.ZodMiniType]>;
  /** The parent the record lives under when it does not carry its id: read from its old partition key. */
  parent?: { partition: 'ITEM' | 'MEETING' | 'CYCLE'; kind: RefKind };
  /** Attributes holding ids of the backup's records: `a.b` walks into objects, `a[]` into every element of a list. */
  refs?: Array<[path: string, kind: RefKind]>;
  /** Attributes that must hold a value. */
  required?: string[];
  keys(workspaceId: string, record: Rec, parent: string, lookup: Lookup): RecordKeys;
}

export const text = lazySchema(() => z.string());
export const nonEmpty = lazySchema(() => z.string().check(z.minLength(1, 'must not be empty')));
export const id = lazySchema(() => z.uuid('must be an id (UUID)'));
export const email = lazySchema(() => z.email('must be an email address'));
export const day = lazySchema(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')));
export const count = lazySchema(() => z.int().check(z.nonnegative()));
export const number = lazySchema(() => z.number());
export const flag = lazySchema(() => z.boolean());
export const nullableId = lazySchema(() => z.nullable(id));
export const nullableText = lazySchema(() => z.nullable(text));
/** Nested values: their depth and size are bounded for every record before any schema runs. */
export const json = lazySchema(() => z.unknown());
export const ids = lazySchema(() => z.array(id));
export const emails = lazySchema(() => z.array(email));

export const stamps = { createdAt: text, updatedAt: text, createdBy: text, version: count };

/** A record of a backup that a restore refuses: the attribute and why. */
export class RecordProblem extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}
