import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { type ReferenceKind, referenceKinds } from '#contract/references';
import { type Refused, refuse } from '#contract/refusal';
import { batchGetMaxKeys, getByKeys } from './batch-get';
import { tableName } from './client';
import { agendaKey, cycleKey, issueKey, meetingKey, memberKey, portfolioItemKey } from './keys';
import { named, type TransactItem, TransactionConditionFailed } from './transactions';

/**
 * Checks that the ids and member emails a write carries name records of the
 * caller's workspace. Each reference becomes a ConditionCheck
 * (`attribute_exists(pk)`) on the referenced item, inside the same
 * transaction as the write, so a reference can neither point elsewhere nor
 * vanish between a read and the write. Each check is tagged with the field it
 * guards, so a failure names the field whatever its position in the
 * transaction.
 */
export interface Reference {
  /** The field as the error names it, e.g. `body.itemIds`. */
  field: string;
  kind: ReferenceKind;
  id: string;
}

const referenceSchema = lazySchema(() => z.object({ field: z.string(), kind: z.enum(referenceKinds), id: z.string() }));

const messages: Record<ReferenceKind, string> = {
  portfolioItem: 'must be a portfolio item of this workspace',
  cycle: 'must be a budget cycle of this workspace',
  issue: 'must be a misalignment issue of this workspace',
  meeting: 'must be a meeting of this workspace',
  agendaEntry: 'must be an entry of this meeting’s agenda',
  threshold: 'must be a threshold of this workspace',
  member: 'must be a member of this workspace',
};

function keyOf(workspaceId: string, reference: Reference, meetingId?: string): { pk: string; sk: string } {
  switch (reference.kind) {
    // A threshold is named by its portfolio item.
    case 'portfolioItem':
    case 'threshold':
      return portfolioItemKey(workspaceId, reference.id);
    case 'cycle':
      return cycleKey(workspaceId, reference.id);
    case 'issue':
      return issueKey(workspaceId, reference.id);
    case 'meeting':
      return meetingKey(workspaceId, reference.id);
    case 'agendaEntry':
      return agendaKey(workspaceId, meetingId ?? '', reference.id);
    case 'member':
      return memberKey(workspaceId, reference.id);
  }
}

/** Reference checks are named parts of their transaction, and the name carries the reference they check. */
const partPrefix = 'reference:';

/** DynamoDB allows one operation per item in a transaction, and at most 100 operations. */
const maxTransactItems = 100;

const keyText = (key: { pk: string; sk: string }) => `${key.pk}\u0000${key.sk}`;

function keysIn(items: TransactItem[]): Set<string> {
  const keys = new Set<string>();
  for (const item of items) {
    const key = item.ConditionCheck?.Key ?? item.Update?.Key ?? item.Delete?.Key ?? item.Put?.Item;
    if (key) keys.add(keyText({ pk: String(key.pk), sk: String(key.sk) }));
  }
  return keys;
}

/**
 * The ConditionChecks for `references`, to add to a transaction that already
 * holds `items`. A reference to an item the transaction writes anyway is left
 * to that write's own condition; repeated references are checked once. When
 * the checks would not fit in one transaction, the rest are read first
 * (consistently) and a missing one is refused before anything is written.
 */
export async function referenceChecks(
  workspaceId: string,
  references: Reference[],
  items: TransactItem[],
  meetingId?: string,
): Promise<TransactItem[]> {
  const seen = keysIn(items);
  const unique: Array<{ reference: Reference; key: { pk: string; sk: string } }> = [];
  for (const reference of references) {
    const key = keyOf(workspaceId, reference, meetingId);
    if (seen.has(keyText(key))) continue;
    seen.add(keyText(key));
    unique.push({ reference, key });
  }
  const room = Math.max(0, maxTransactItems - items.length);
  const overflow = unique.slice(room);
  if (overflow.length > 0) {
    const missing: typeof overflow = [];
    for (let start = 0; start < overflow.length; start += batchGetMaxKeys) {
      const chunk = overflow.slice(start, start + batchGetMaxKeys);
      const found = await getByKeys(chunk.map(({ key }) => key));
      missing.push(...chunk.filter(({ key }) => !found.get(key)));
    }
    if (missing.length > 0) throw referenceRefused(missing.map(({ reference }) => reference));
  }
  return unique.slice(0, room).map(({ reference, key }) =>
    named(`${partPrefix}${JSON.stringify(reference)}`, {
      ConditionCheck: { TableName: tableName(), Key: key, ConditionExpression: 'attribute_exists(pk)' },
    }),
  );
}

function referenceRefused(references: Reference[]): Refused {
  const byField = new Map<string, Reference>();
  for (const reference of references) if (!byField.has(reference.field)) byField.set(reference.field, reference);
  return refuse.invalidFields(
    [...byField.values()].map((reference) => ({
      field: reference.field,
      message: `${messages[reference.kind]} (${reference.id} is not)`,
    })),
  );
}

/**
 * When `error` is a failed reference check (a part named by
 * {@link referenceChecks}), the 400 naming its field; otherwise undefined.
 * `_items` is the transaction as sent, kept for the callers' convenience.
 */
export function brokenReference(error: unknown, _items?: TransactItem[]): Refused | undefined {
  if (!(error instanceof TransactionConditionFailed) || !error.part?.startsWith(partPrefix)) return undefined;
  return referenceRefused([referenceSchema.parse(JSON.parse(error.part.slice(partPrefix.length)))]);
}

/** Ids of a list field as references of one kind. */
export const referencesOf = (field: string, kind: ReferenceKind, ids: readonly (string | null | undefined)[]): Reference[] =>
  ids.flatMap((id) => (id ? [{ field, kind, id }] : []));
