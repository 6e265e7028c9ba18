import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { refuse } from '#contract/refusal';
import { dynamo } from './client';

/** One page of a list and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are the opaque, URL-safe form of DynamoDB's LastEvaluatedKey. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

const startKey = lazySchema(() => z.record(z.string(), z.unknown()));

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = startKey.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (key.success) return key.data;
  } catch {
    // fall through to the error below
  }
  throw refuse.invalid('The cursor is not one this API gave out');
}

/**
 * One Query from a start key a client's cursor gave. The key condition is
 * the caller's, so a cursor can only continue within the partition it names:
 * a start key forged for another workspace's partition is refused by
 * DynamoDB and answered 400.
 */
export async function queryFromCursor(input: QueryCommandInput) {
  try {
    return await dynamo.send(new QueryCommand(input));
  } catch (error) {
    if (error instanceof Error && error.name === 'ValidationException' && input.ExclusiveStartKey) {
      throw refuse.invalid('The cursor does not belong to this list');
    }
    throw error;
  }
}

/** One Query request for one page, continuing from the cursor (see {@link queryFromCursor}). */
export async function queryPage<T>(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  page: { limit: number; cursor?: string },
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const result = await queryFromCursor({ ...input, Limit: page.limit, ExclusiveStartKey: decodeCursor(page.cursor) });
  return { items: (result.Items ?? []).map(map), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** Every item a Query matches, page after page; for bounded collections only (members of a workspace, say). */
export async function queryAll<T>(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  map: (item: Record<string, unknown>) => T,
) {
  const items: T[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const result = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: cursor }));
    items.push(...(result.Items ?? []).map(map));
    cursor = result.LastEvaluatedKey;
  } while (cursor);
  return items;
}
