import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import type { AgendaEntry, AgendaSource } from '#contract/meetings/meetings';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity } from '#functions/table/entity';
import type { TransactItem } from '#functions/table/transactions';
import { agendaKey, linksSchema } from './entities-meeting';

/**
 * Agenda entries: sk `AGENDA#<entryId>` in the meeting's partition. Their
 * order is the meeting item's `agendaOrder`, changed with the meeting's
 * `agendaVersion` (entities-meeting.ts).
 */
const sourceSchema: z.ZodMiniType<AgendaSource> = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('manual') }),
    z.object({ kind: z.literal('issue'), issueId: z.string() }),
    z.object({ kind: z.literal('signOff'), thresholdId: z.string(), thresholdVersion: z.number() }),
    z.object({ kind: z.literal('action'), meetingId: z.string(), actionId: z.string() }),
  ]),
);

const agendaEntrySchema: z.ZodMiniType<AgendaEntry> = lazySchema(() =>
  z.object({
    id: z.string(),
    kind: z.enum(['section', 'item']),
    title: z.string(),
    durationMinutes: z.number(),
    presenter: z._default(z.nullable(z.string()), null),
    notes: z._default(z.string(), ''),
    links: z._default(linksSchema, () => ({})),
    source: z._default(sourceSchema, () => ({ kind: 'manual' as const })),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
  }),
);

/** The agenda entries of one meeting; their order is the meeting item's `agendaOrder`. */
export const agendaEntryEntity = (workspaceId: string, meetingId: string) =>
  defineEntity({
    type: 'AgendaEntry',
    schema: agendaEntrySchema,
    keys: (entry) => agendaKey(workspaceId, meetingId, entry.id),
  });

/** Changes the named fields of an agenda entry, conditional on its version. */
export function agendaEntryUpdate(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  changes: Record<string, unknown>,
  expectedVersion: number,
  now: string,
): TransactItem {
  const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':now': now };
  const sets = fields.map(([field, value], index) => {
    names[`#f${index}`] = field;
    values[`:v${index}`] = value;
    return `#f${index} = :v${index}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: agendaKey(workspaceId, meetingId, entryId),
      UpdateExpression: `SET ${[...sets, 'version = version + :one', 'updatedAt = :now'].join(', ')}`,
      ConditionExpression: 'attribute_exists(pk) AND version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The agenda entry as stored now, or undefined. */
export async function readAgendaEntry(workspaceId: string, meetingId: string, entryId: string): Promise<AgendaEntry | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: agendaKey(workspaceId, meetingId, entryId), ConsistentRead: true }),
  );
  return Item ? agendaEntryEntity(workspaceId, meetingId).parse(Item) : undefined;
}

/** Removes an agenda entry, conditional on its version. */
export function agendaEntryDelete(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  expectedVersion: number,
): TransactItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: agendaKey(workspaceId, meetingId, entryId),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  };
}
