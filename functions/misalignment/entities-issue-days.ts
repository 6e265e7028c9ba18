import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { costMinor, fromMinor, type IssueHistory, seenRange } from '#contract/misalignment/misalignment';
import { tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { queryAll } from '#functions/table/pages';
import type { TransactItem } from '#functions/table/transactions';
import type { Counted } from './entities-aggregates';

/** The partition of an issue's occurrences and days, `WS#<ws>#ISSUE#<id>`. */
export const occurrencePk = (workspaceId: string, issueId: string) => `${workspacePk(workspaceId)}#ISSUE#${issueId}`;

/**
 * One `DAY#<day>` item per day an issue occurred on keeps that day's count
 * and cost: the issue's history for its detail screen, and on gsi1 under
 * `WS#<ws>#ISSUE_DAYS` sorted by day, so a date-range filter is one
 * key-bounded Query across issues.
 */
export const issueDayKey = (workspaceId: string, issueId: string, day: string) =>
  itemKey(occurrencePk(workspaceId, issueId), `DAY#${day}`);
export const issueDayPrefix = 'DAY#';
export const issueDaysGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#ISSUE_DAYS`;
export const issueDaysGsiSk = (day: string, issueId: string) => `${day}#${issueId}`;

/** A day of an issue; its workspace is its partition's, not an attribute, so reads supply it. */
export const issueDayEntity = defineEntity({
  type: 'IssueDay',
  schema: lazySchema(() =>
    z.object({
      workspaceId: z.string(),
      issueId: z.string(),
      day: z.string(),
      occurrenceCount: z.number(),
      costMinor: z.number(),
    }),
  ),
  keys: (day) => ({
    ...issueDayKey(day.workspaceId, day.issueId, day.day),
    ...indexKey(issueDaysGsiPk(day.workspaceId), issueDaysGsiSk(day.day, day.issueId)),
  }),
});

/** A day's count and cost an occurrence adds to (sign -1: takes out of) its issue's history. */
export const dayDelta = (occurrence: Counted, sign: 1 | -1) => ({
  day: occurrence.occurredOn,
  count: sign,
  costMinor: sign * costMinor(occurrence.cost),
});

/**
 * The updates of the issue's `DAY#` items for the day deltas, merged per day;
 * a correction that changes neither date nor cost leaves them alone. Counts
 * may reach zero (an occurrence corrected to another day); readers skip those.
 */
export function issueDayUpdates(
  workspaceId: string,
  issueId: string,
  deltas: Array<ReturnType<typeof dayDelta>>,
): TransactItem[] {
  const byDay = new Map<string, { count: number; costMinor: number }>();
  for (const delta of deltas) {
    const current = byDay.get(delta.day) ?? { count: 0, costMinor: 0 };
    byDay.set(delta.day, { count: current.count + delta.count, costMinor: current.costMinor + delta.costMinor });
  }
  return [...byDay]
    .filter(([, delta]) => delta.count !== 0 || delta.costMinor !== 0)
    .map(([day, delta]) => {
      return {
        Update: {
          TableName: tableName(),
          Key: issueDayKey(workspaceId, issueId, day),
          UpdateExpression:
            'SET #type = :type, issueId = :issueId, #day = :day, #ipk = :ipk, #isk = :isk ADD occurrenceCount :count, costMinor :cost',
          ExpressionAttributeNames: { '#type': 'type', '#day': 'day', '#ipk': gsi1.pk, '#isk': gsi1.sk },
          ExpressionAttributeValues: {
            ':type': issueDayEntity.type,
            ':issueId': issueId,
            ':day': day,
            ':ipk': issueDaysGsiPk(workspaceId),
            ':isk': issueDaysGsiSk(day, issueId),
            ':count': delta.count,
            ':cost': delta.costMinor,
          },
        },
      };
    });
}

/** An issue's history from its `DAY#` items: one Query bounded by the days it occurred on, never its occurrences. */
export async function issueHistory(workspaceId: string, issueId: string): Promise<IssueHistory> {
  const days = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': occurrencePk(workspaceId, issueId), ':prefix': issueDayPrefix },
      ConsistentRead: true,
    },
    (item) => issueDayEntity.parse({ workspaceId, ...item }),
  );
  const costByDay: Record<string, number> = {};
  const countByDay: Record<string, number> = {};
  for (const { day, occurrenceCount, costMinor } of days) {
    if (occurrenceCount <= 0) continue;
    countByDay[day] = occurrenceCount;
    costByDay[day] = fromMinor(costMinor);
  }
  return { ...seenRange(countByDay), costByDay, countByDay };
}

const dayOfIssue = lazySchema(() => z.object({ issueId: z.string(), day: z.string() }));

/**
 * The days each issue occurred on within [from, to] (either end open), in
 * day order, from one Query over the workspace's issue days on gsi1: its
 * reads are bounded by the range asked for, not by the whole log.
 */
export function issueDays(workspaceId: string, range: { from?: string; to?: string } = {}) {
  return queryAll(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: '#ipk = :pk AND #isk BETWEEN :from AND :to',
      FilterExpression: 'occurrenceCount > :none',
      ProjectionExpression: 'issueId, #day',
      ExpressionAttributeNames: { '#day': 'day', '#ipk': gsi1.pk, '#isk': gsi1.sk },
      ExpressionAttributeValues: {
        ':pk': issueDaysGsiPk(workspaceId),
        ':from': range.from ?? '0000',
        // Keys are `<day>#<issueId>`; `~` sorts after `#`, so the range keeps every issue of its last day.
        ':to': `${range.to ?? '9999'}~`,
        ':none': 0,
      },
    },
    (item) => dayOfIssue.parse(item),
  );
}
