import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import {
  type AgendaLinks,
  type Attendee,
  type Meeting,
  type MeetingState,
  meetingStates,
  meetingTypes,
} from '#contract/meetings/meetings';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { agendaKey, meetingKey, meetingPk, workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { type TransactItem, transactWrite } from '#functions/table/transactions';

/**
 * The meeting's own records, over the one table's key formats. A meeting and
 * everything in it (attendance, agenda entries, outcomes) share one
 * partition, so the full meeting is one Query and the live poll is one
 * GetItem on the meeting item.
 *
 * - meeting item: sk `MEETING`; on gsi1 under the workspace's meeting list,
 *   sorted by cycle then start time, so a cycle's meetings are one Query too.
 * - attendance: sk `ATTENDEE#<email>`
 * - agenda entry: sk `AGENDA#<entryId>` (their order is a list on the meeting item)
 * - outcome: sk `OUTCOME#<outcomeId>` (entities-outcomes.ts)
 */

export const attendeeKey = (workspaceId: string, meetingId: string, email: string) =>
  itemKey(meetingPk(workspaceId, meetingId), `ATTENDEE#${email}`);

export const meetingListGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#MEETINGS`;
export const meetingListGsiSk = (cycleId: string, startsAt: string, meetingId: string) =>
  `CYCLE#${cycleId}#${startsAt}#${meetingId}`;
export const cycleMeetingsPrefix = (cycleId: string) => `CYCLE#${cycleId}#`;

const meetingSchema: z.ZodMiniType<Meeting> = lazySchema(() =>
  z.object({
    id: z.string(),
    workspaceId: z.string(),
    cycleId: z.string(),
    title: z.string(),
    meetingType: z.enum(meetingTypes),
    startsAt: z.string(),
    durationMinutes: z.number(),
    location: z._default(z.string(), ''),
    invited: z._default(z.array(z.string()), () => []),
    state: z.enum(meetingStates),
    agendaOrder: z._default(z.array(z.string()), () => []),
    agendaVersion: z.number(),
    revision: z.number(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z._default(z.nullable(z.string()), null),
    version: z.number(),
  }),
);

/** The meeting item, listed on gsi1 under the workspace's meetings by cycle and start time. */
export const meetingEntity = defineEntity({
  type: 'Meeting',
  schema: meetingSchema,
  keys: (meeting) => ({
    ...meetingKey(meeting.workspaceId, meeting.id),
    ...indexKey(meetingListGsiPk(meeting.workspaceId), meetingListGsiSk(meeting.cycleId, meeting.startsAt, meeting.id)),
  }),
});

const attendeeSchema: z.ZodMiniType<Attendee> = lazySchema(() =>
  z.object({
    email: z.string(),
    name: z.string(),
    function: z.enum(memberFunctions),
    role: z.enum(memberRoles),
    present: z._default(z.boolean(), false),
    markedBy: z.string(),
    markedAt: z.string(),
    version: z.number(),
  }),
);

/** The attendance records of one meeting (the items carry no meeting id of their own). */
export const attendeeEntity = (workspaceId: string, meetingId: string) =>
  defineEntity({
    type: 'Attendee',
    schema: attendeeSchema,
    keys: (attendee) => attendeeKey(workspaceId, meetingId, attendee.email),
  });

export const linksSchema: z.ZodMiniType<AgendaLinks> = lazySchema(() =>
  z.object({
    issueId: z.optional(z.string()),
    thresholdId: z.optional(z.string()),
    thresholdVersion: z.optional(z.number()),
  }),
);

/** The meeting item as stored now, or undefined. */
export async function readMeeting(workspaceId: string, meetingId: string): Promise<Meeting | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: meetingKey(workspaceId, meetingId), ConsistentRead: true }),
  );
  return Item ? meetingEntity.parse(Item) : undefined;
}

const revisionSchema = lazySchema(() => z.object({ revision: z.number(), state: z.enum(meetingStates) }));

/** The live poll's one read: the meeting item's revision and state, nothing else. */
export async function readMeetingRevision(
  workspaceId: string,
  meetingId: string,
): Promise<{ revision: number; state: MeetingState } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName(),
      Key: meetingKey(workspaceId, meetingId),
      ProjectionExpression: 'revision, #state',
      ExpressionAttributeNames: { '#state': 'state' },
    }),
  );
  return Item ? revisionSchema.parse(Item) : undefined;
}

/** Every item of the meeting's partition (meeting, attendance, agenda, outcomes), unparsed, in one Query. */
export function readMeetingPartition(workspaceId: string, meetingId: string): Promise<Record<string, unknown>[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': meetingPk(workspaceId, meetingId) },
      ConsistentRead: true,
    },
    (item) => item,
  );
}

/** The Query of the workspace's meeting list, only one cycle's when `cycleId` is given. */
const meetingList = (workspaceId: string, cycleId: string | undefined) => ({
  TableName: tableName(),
  IndexName: gsi1.name,
  KeyConditionExpression: cycleId ? '#gpk = :pk AND begins_with(#gsk, :prefix)' : '#gpk = :pk',
  ExpressionAttributeNames: { '#gpk': gsi1.pk, ...(cycleId ? { '#gsk': gsi1.sk } : {}) },
  ExpressionAttributeValues: {
    ':pk': meetingListGsiPk(workspaceId),
    ...(cycleId ? { ':prefix': cycleMeetingsPrefix(cycleId) } : {}),
  },
});

/** One page of the workspace's meetings, by cycle then start time; only one cycle's when `cycleId` is given. */
export function listMeetings(
  workspaceId: string,
  query: { cycleId?: string; limit: number; cursor?: string },
): Promise<Page<Meeting>> {
  return queryPage(meetingList(workspaceId, query.cycleId), { limit: query.limit, cursor: query.cursor }, meetingEntity.parse);
}

/** Every meeting of a cycle; a cycle holds a bounded number of meetings (a few per month). */
export function listCycleMeetings(workspaceId: string, cycleId: string): Promise<Meeting[]> {
  return queryAll(meetingList(workspaceId, cycleId), meetingEntity.parse);
}

/**
 * The update every meeting change includes: bumps the revision the live poll
 * watches, on the condition that the meeting is in a state that allows the
 * change. `extra` adds assignments and conditions of the caller's own.
 */
export function touchMeeting(
  workspaceId: string,
  meetingId: string,
  now: string,
  guard: 'editable' | 'inProgress' | 'any',
  extra: { set?: string[]; condition?: string; values?: Record<string, unknown>; names?: Record<string, string> } = {},
): TransactItem {
  const conditions = ['attribute_exists(pk)'];
  if (guard === 'editable') conditions.push('#state <> :closed');
  if (guard === 'inProgress') conditions.push('#state = :inProgress');
  if (extra.condition) conditions.push(extra.condition);
  return {
    Update: {
      TableName: tableName(),
      Key: meetingKey(workspaceId, meetingId),
      UpdateExpression: `SET ${['revision = revision + :one', 'updatedAt = :now', ...(extra.set ?? [])].join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames:
        guard === 'any' && !extra.names ? undefined : { ...(guard === 'any' ? {} : { '#state': 'state' }), ...extra.names },
      ExpressionAttributeValues: {
        ':one': 1,
        ':now': now,
        ...(guard === 'editable' ? { ':closed': 'closed' } : {}),
        ...(guard === 'inProgress' ? { ':inProgress': 'inProgress' } : {}),
        ...extra.values,
      },
    },
  };
}

/** The meeting update that sets a new agenda order, conditional on the agenda version it was computed from. */
export function agendaOrderUpdate(
  workspaceId: string,
  meetingId: string,
  order: string[],
  expectedAgendaVersion: number,
  now: string,
): TransactItem {
  return touchMeeting(workspaceId, meetingId, now, 'editable', {
    set: ['agendaOrder = :order', 'agendaVersion = agendaVersion + :one'],
    condition: 'agendaVersion = :agendaVersion',
    values: { ':order': order, ':agendaVersion': expectedAgendaVersion },
  });
}

/**
 * The meeting's move from the state it was read in to `after.state`,
 * conditional on the version read; `agendaAppend` adds entries (written by
 * the caller in the same transaction) at the end of the agenda.
 */
export function meetingStateUpdate(before: Meeting, after: Meeting, agendaAppend: string[], now: string): TransactItem {
  const appends = agendaAppend.length > 0;
  return {
    Update: {
      TableName: tableName(),
      Key: meetingKey(before.workspaceId, before.id),
      UpdateExpression: `SET #state = :to, closedAt = :closedAt, revision = revision + :one, updatedAt = :now, version = version + :one${
        appends ? ', agendaOrder = list_append(agendaOrder, :append), agendaVersion = agendaVersion + :one' : ''
      }`,
      ConditionExpression: 'version = :expected AND #state = :from',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':to': after.state,
        ':from': before.state,
        ':closedAt': after.closedAt,
        ':one': 1,
        ':now': now,
        ':expected': before.version,
        ...(appends ? { ':append': agendaAppend } : {}),
      },
    },
  };
}

/**
 * Every meeting transaction touches the meeting item (its revision), so two
 * participants writing at the same moment can collide in DynamoDB itself
 * (TransactionConflict) although neither broke a condition: such a write is
 * simply tried again, for as long as the request's deadline allows.
 */
export function meetingTransaction(items: TransactItem[]): Promise<void> {
  return transactWrite(items, { busyMessage: 'The meeting is busy with other changes; retry shortly' });
}

export { agendaKey, meetingKey, meetingPk };
