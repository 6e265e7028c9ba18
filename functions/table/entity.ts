import type * as z from 'zod/mini';
import { tableName } from './client';
import { tableDefinition } from './table-definition';
import type { TransactItem } from './transactions';

/** The primary key of an item, named as the table definition names it. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** The keys of the one secondary index, named as the table definition names them. */
export interface IndexKey {
  gsi1pk: string;
  gsi1sk: string;
}

const [index] = tableDefinition.globalSecondaryIndexes;

/** A primary key from its two parts. */
export const itemKey = (pk: string, sk: string): ItemKey => ({
  [tableDefinition.partitionKey]: pk,
  [tableDefinition.sortKey]: sk,
});

/** The index keys an item is listed under in `gsi1`. */
export const indexKey = (pk: string, sk: string): IndexKey => ({ [index.partitionKey]: pk, [index.sortKey]: sk });

/** Names of the index and its key attributes, for queries. */
export const gsi1 = { name: index.indexName, pk: index.partitionKey, sk: index.sortKey } as const;

/** A stored item failed its record type's schema: the data is not what the code expects. */
export class MalformedItem extends Error {
  constructor(type: string, problems: string) {
    super(`Stored ${type} item is malformed: ${problems}`);
    this.name = 'MalformedItem';
  }
}

export interface EntitySpec<S extends z.ZodMiniType<object>> {
  /** Written to every item's `type` attribute. */
  type: string;
  /** The record as the code sees it; stored items are parsed with it, never cast. */
  schema: S;
  /** Where the record lives: its primary key and, when it is listed, its index keys. */
  keys: (record: z.output<S>) => ItemKey & Partial<IndexKey>;
}

export interface Entity<S extends z.ZodMiniType<object>> {
  readonly type: string;
  readonly schema: S;
  keys: (record: z.output<S>) => ItemKey & Partial<IndexKey>;
  /** Parses a stored item (extra attributes such as keys are dropped); a malformed item throws {@link MalformedItem}. */
  parse(item: Record<string, unknown>): z.output<S>;
  /** The item to store: the record with its keys and type, plus any stored-only attributes. */
  item(record: z.output<S>, extra?: Record<string, unknown>): Record<string, unknown>;
  /** A transaction write storing the record; `condition` guards it (e.g. `attribute_not_exists(pk)`). */
  put(
    record: z.output<S>,
    options?: { extra?: Record<string, unknown>; condition?: string; values?: Record<string, unknown> },
  ): TransactItem;
}

/**
 * One definition per record type: its schema, its keys and its `type`. The
 * area's entities module defines its record types with it, and is the only
 * code of the area that speaks DynamoDB.
 */
export function defineEntity<S extends z.ZodMiniType<object>>(spec: EntitySpec<S>): Entity<S> {
  const describe = (issues: readonly z.core.$ZodIssue[]) =>
    issues.map((issue) => `${issue.path.join('.') || '(item)'} ${issue.message}`).join('; ');
  const item = (record: z.output<S>, extra: Record<string, unknown> = {}) => ({
    ...spec.keys(record),
    type: spec.type,
    ...extra,
    ...record,
  });
  // Plain closures, not methods: `entity.parse` is handed around as a mapper.
  return {
    type: spec.type,
    schema: spec.schema,
    keys: spec.keys,
    parse: (stored) => {
      const result = spec.schema.safeParse(stored);
      if (!result.success) throw new MalformedItem(spec.type, describe(result.error.issues));
      return result.data;
    },
    item,
    put: (record, options = {}) => {
      return {
        Put: {
          TableName: tableName(),
          Item: item(record, options.extra),
          ...(options.condition ? { ConditionExpression: options.condition } : {}),
          ...(options.values ? { ExpressionAttributeValues: options.values } : {}),
        },
      };
    },
  };
}
