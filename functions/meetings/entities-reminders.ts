import { DeleteCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import type { ActionOutcome, ActionView } from '#contract/meetings/meetings';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, itemKey } from '#functions/table/entity';
import { queryFromCursor } from '#functions/table/pages';
import { named, type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { readOutcome } from './entities-outcomes';

/**
 * The reminder queue of action items (docs/mail-and-clock.md). A daily job
 * must find the actions due tomorrow or overdue across every workspace
 * without a Scan, and an action's own keys (its meeting's partition, its
 * owner's index entry) cannot answer "what is due by date D" across
 * workspaces. So each open action has one queue entry:
 *
 *   pk `REMIND#ACTION`, sk `<remind on>#<workspace>#<meeting>#<action>`
 *
 * written in the transaction that records the action (remind on = the day
 * before it is due) and when it is reopened. The job reads
 * `sk < <tomorrow>` in pages, oldest first: what is due for a reminder today
 * and anything an earlier run left over. Sending a reminder moves the entry
 * to the next day in one transaction, with a per-day marker
 * (`REMINDED#<day>`, expiring) that lets only one reminder per action per
 * day through. The entry holds keys only; the action is read, consistently,
 * before each reminder, and an entry whose action is finished or gone is
 * dropped then.
 *
 * One partition takes the queue's writes (one per action recorded or
 * reopened, and one move per reminder sent): people's pace, far below a
 * partition's 1,000 writes a second.
 */
export const reminderQueuePk = 'REMIND#ACTION';

export interface ReminderEntry {
  remindOn: string;
  workspaceId: string;
  meetingId: string;
  actionId: string;
}

const entrySk = (entry: ReminderEntry) => `${entry.remindOn}#${entry.workspaceId}#${entry.meetingId}#${entry.actionId}`;

const reminderEntry = defineEntity({
  type: 'ReminderEntry',
  schema: lazySchema(() =>
    z.object({ remindOn: z.string(), workspaceId: z.string(), meetingId: z.string(), actionId: z.string() }),
  ),
  keys: (entry) => itemKey(reminderQueuePk, entrySk(entry)),
});

/** The day before a `YYYY-MM-DD` date, or after it with `days = 1`. */
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The queue entry of an action, for the transaction that records or reopens it. */
export function reminderEntryPut(workspaceId: string, action: Pick<ActionOutcome, 'meetingId' | 'id' | 'dueDate'>): TransactItem {
  return reminderEntry.put({
    remindOn: addDays(action.dueDate, -1),
    workspaceId,
    meetingId: action.meetingId,
    actionId: action.id,
  });
}

/** A page of entries due for a reminder on `today` or earlier, oldest first. */
export async function dueReminderEntries(today: string, limit: number, cursor?: Record<string, unknown>) {
  const input: QueryCommandInput = {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND sk < :next',
    ExpressionAttributeValues: { ':pk': reminderQueuePk, ':next': addDays(today, 1) },
    Limit: limit,
    ExclusiveStartKey: cursor,
  };
  const { Items, LastEvaluatedKey } = await queryFromCursor(input);
  const entries = (Items ?? []).map(reminderEntry.parse);
  return { entries, cursor: LastEvaluatedKey };
}

/** The action an entry points at, with its meeting's title, as stored now. */
export async function actionOf(entry: ReminderEntry): Promise<ActionView | undefined> {
  const found = await readOutcome(entry.workspaceId, entry.meetingId, entry.actionId);
  if (found?.outcome.kind !== 'action') return undefined;
  return { ...found.outcome, meetingTitle: found.meetingTitle };
}

export async function dropReminderEntry(entry: ReminderEntry): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: reminderEntry.keys(entry) }));
}

/** Keeps a day's markers past the day, then lets them expire. */
const markerSeconds = 3 * 24 * 3600;

/**
 * Takes the entry for today's reminder: moves it to tomorrow and marks the
 * action reminded today, all or nothing. `taken` means this caller sends the
 * reminder; `already` that the action had its reminder today (the entry is
 * dropped); `gone` that another run took the entry first.
 */
export async function takeReminder(entry: ReminderEntry, today: string, now: Date): Promise<'taken' | 'already' | 'gone'> {
  const ids = `${entry.workspaceId}#${entry.meetingId}#${entry.actionId}`;
  try {
    await transactWrite([
      named('entry', {
        Delete: { TableName: tableName(), Key: reminderEntry.keys(entry), ConditionExpression: 'attribute_exists(pk)' },
      }),
      named('reminded-today', {
        Put: {
          TableName: tableName(),
          Item: {
            ...itemKey(`REMINDED#${today}`, ids),
            type: 'ReminderSent',
            expiresAt: Math.floor(now.getTime() / 1000) + markerSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }),
      reminderEntry.put({ ...entry, remindOn: addDays(today, 1) }),
    ]);
    return 'taken';
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    if (error.part === 'entry') return 'gone';
    await dropReminderEntry(entry);
    return 'already';
  }
}
