import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AgendaEntry,
  type AgendaLinks,
  type AgendaSource,
  type Attendee,
  attendanceRefusal,
  editRefusal,
  type FullMeeting,
  isReopen,
  type Meeting,
  type MeetingState,
  type MeetingType,
  maxAgendaEntries,
  type Outcome,
  placeEntry,
  reorderRefusal,
  transitionRefusal,
} from '#contract/meetings/meetings';
import type { Caller } from '#contract/views';
import type { MemberRole } from '#contract/workspaces/members';
import { auditPut } from '#functions/audit/audit';
import { BadRequest, Conflict, Forbidden, NotFound } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { brokenReference, type Reference, referenceChecks, referencesOf } from '#functions/table/references';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { getMember } from '#functions/workspaces/workspaces';
import {
  agendaKey,
  attendeeKey,
  cycleMeetingsPrefix,
  meetingKey,
  meetingListGsiPk,
  meetingListGsiSk,
  meetingPk,
} from './meeting-keys';

export type TransactItem = Parameters<typeof transactWrite>[0][number];

/** Who is acting, with the role the rules need. */
export interface Actor extends Pick<Caller, 'email' | 'name'> {
  role: MemberRole;
}

// ---------------------------------------------------------------- mapping

export function toMeeting(item: Record<string, unknown>): Meeting {
  return {
    id: item.id as string,
    workspaceId: item.workspaceId as string,
    cycleId: item.cycleId as string,
    title: item.title as string,
    meetingType: item.meetingType as MeetingType,
    startsAt: item.startsAt as string,
    durationMinutes: item.durationMinutes as number,
    location: (item.location as string) ?? '',
    invited: (item.invited as string[]) ?? [],
    state: item.state as MeetingState,
    agendaOrder: (item.agendaOrder as string[]) ?? [],
    agendaVersion: item.agendaVersion as number,
    revision: item.revision as number,
    createdBy: item.createdBy as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    closedAt: (item.closedAt as string | null) ?? null,
    version: item.version as number,
  };
}

function toAttendee(item: Record<string, unknown>): Attendee {
  return {
    email: item.email as string,
    name: item.name as string,
    function: item.function as Attendee['function'],
    role: item.role as Attendee['role'],
    present: Boolean(item.present),
    markedBy: item.markedBy as string,
    markedAt: item.markedAt as string,
    version: item.version as number,
  };
}

function toAgendaEntry(item: Record<string, unknown>): AgendaEntry {
  return {
    id: item.id as string,
    kind: item.kind as AgendaEntry['kind'],
    title: item.title as string,
    durationMinutes: item.durationMinutes as number,
    presenter: (item.presenter as string | null) ?? null,
    notes: (item.notes as string) ?? '',
    links: (item.links as AgendaLinks) ?? {},
    source: (item.source as AgendaSource) ?? { kind: 'manual' },
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}

/** Strips the key and index attributes from an outcome item. */
export function toOutcome(item: Record<string, unknown>): Outcome {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _type, workspaceId: _ws, meetingTitle: _title, ...outcome } = item;
  return outcome as unknown as Outcome;
}

// ---------------------------------------------------------------- transactions

/**
 * Every meeting transaction touches the meeting item (its revision), so two
 * participants writing at the same moment can collide in DynamoDB itself
 * (TransactionConflict) although neither broke a condition: such a write is
 * simply tried again, for as long as the request's deadline allows.
 */
export function meetingTransaction(items: TransactItem[]): Promise<void> {
  return transactWrite(items, { busyMessage: 'The meeting is busy with other changes; retry shortly' });
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

/** Turns a failed meeting condition into a 409 that says why and carries the current meeting. */
export function meetingConflict(current: Record<string, unknown> | undefined, fallback: string): Conflict | NotFound {
  if (!current) return new NotFound('Meeting not found');
  const meeting = toMeeting(current);
  return new Conflict(editRefusal(meeting.state) ?? fallback, { current: meeting });
}

// ---------------------------------------------------------------- reads

export async function getMeeting(workspaceId: string, meetingId: string): Promise<Meeting> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: meetingKey(workspaceId, meetingId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFound('Meeting not found');
  return toMeeting(Item);
}

/** The live poll's one read: the meeting item's revision and state, nothing else. */
export async function getMeetingRevision(
  workspaceId: string,
  meetingId: string,
): Promise<{ revision: number; state: MeetingState }> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName(),
      Key: meetingKey(workspaceId, meetingId),
      ProjectionExpression: 'revision, #state',
      ExpressionAttributeNames: { '#state': 'state' },
    }),
  );
  if (!Item) throw new NotFound('Meeting not found');
  return { revision: Item.revision as number, state: Item.state as MeetingState };
}

/** The meeting with its attendance, ordered agenda and outcomes: one Query over its partition. */
export async function getFullMeeting(workspaceId: string, meetingId: string): Promise<FullMeeting> {
  const items = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': meetingPk(workspaceId, meetingId) },
      ConsistentRead: true,
    },
    (item) => item,
  );
  const head = items.find((item) => item.sk === 'MEETING');
  if (!head) throw new NotFound('Meeting not found');
  const meeting = toMeeting(head);
  const byPrefix = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
  const entries = new Map(byPrefix('AGENDA#').map((item) => [item.id as string, toAgendaEntry(item)]));
  const agenda = meeting.agendaOrder.flatMap((id) => entries.get(id) ?? []);
  const outcomes = byPrefix('OUTCOME#')
    .map(toOutcome)
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  const attendees = byPrefix('ATTENDEE#')
    .map(toAttendee)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { meeting, attendees, agenda, outcomes };
}

/** One page of the workspace's meetings, by cycle then start time; only one cycle's when `cycleId` is given. */
export function listMeetings(
  workspaceId: string,
  query: { cycleId?: string; limit: number; cursor?: string },
): Promise<Page<Meeting>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: query.cycleId ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': meetingListGsiPk(workspaceId),
        ...(query.cycleId ? { ':prefix': cycleMeetingsPrefix(query.cycleId) } : {}),
      },
    },
    { limit: query.limit, cursor: query.cursor },
    toMeeting,
  );
}

/** Every meeting of a cycle; a cycle holds a bounded number of meetings (a few per month). */
export function listCycleMeetings(workspaceId: string, cycleId: string): Promise<Meeting[]> {
  return queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': meetingListGsiPk(workspaceId), ':prefix': cycleMeetingsPrefix(cycleId) },
    },
    toMeeting,
  );
}

// ---------------------------------------------------------------- meetings

export interface NewMeeting {
  cycleId: string;
  title: string;
  meetingType: MeetingType;
  startsAt: string;
  durationMinutes: number;
  location: string;
  invited: string[];
}

const meetingItem = (meeting: Meeting) => ({
  ...meetingKey(meeting.workspaceId, meeting.id),
  gsi1pk: meetingListGsiPk(meeting.workspaceId),
  gsi1sk: meetingListGsiSk(meeting.cycleId, meeting.startsAt, meeting.id),
  type: 'Meeting',
  ...meeting,
});

const invitedReferences = (invited: readonly string[]) => referencesOf('body.invited', 'member', invited);

/** Creates a draft meeting in a budget cycle. */
export async function createMeeting(workspaceId: string, input: NewMeeting, actor: Caller, now: string): Promise<Meeting> {
  const meeting: Meeting = {
    id: randomUUID(),
    workspaceId,
    ...input,
    invited: [...new Set(input.invited)],
    state: 'draft',
    agendaOrder: [],
    agendaVersion: 1,
    revision: 1,
    createdBy: actor.email,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    version: 1,
  };
  const items: TransactItem[] = [
    { Put: { TableName: tableName(), Item: meetingItem(meeting), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut({
      workspaceId,
      actor,
      action: 'meeting.created',
      entity: 'meeting',
      entityId: meeting.id,
      after: meeting,
      at: now,
    }),
  ];
  // A meeting belongs to one of the workspace's budget cycles: its backlog, carry-forward and sign-offs are the
  // cycle's. Checked in the write itself, so it costs no read and no cycle can vanish in between.
  const references = [
    { field: 'body.cycleId', kind: 'cycle', id: input.cycleId } as const,
    ...invitedReferences(meeting.invited),
  ];
  items.push(...(await referenceChecks(workspaceId, references, items)));
  try {
    await transactWrite(items);
  } catch (error) {
    throw brokenReference(error, items) ?? error;
  }
  return meeting;
}

/** Changes a meeting's details, conditional on the version the change was based on; closed meetings are read-only. */
export async function updateMeeting(
  workspaceId: string,
  meetingId: string,
  patch: Partial<Omit<NewMeeting, 'cycleId'>> & { expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<Meeting> {
  const before = await getMeeting(workspaceId, meetingId);
  const refusal = editRefusal(before.state);
  if (refusal) throw new Conflict(refusal, { current: before });
  if (before.version !== patch.expectedVersion) {
    throw new Conflict(`Meeting changed since version ${patch.expectedVersion}`, { current: before });
  }
  const { expectedVersion, ...changes } = patch;
  const after: Meeting = {
    ...before,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    revision: before.revision + 1,
    updatedAt: now,
    version: before.version + 1,
  };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: meetingItem(after),
        ConditionExpression: 'version = :expected AND #state <> :closed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':expected': expectedVersion, ':closed': 'closed' },
      },
    },
    auditPut({ workspaceId, actor, action: 'meeting.updated', entity: 'meeting', entityId: meetingId, before, after, at: now }),
  ];
  items.push(...(await referenceChecks(workspaceId, invitedReferences(patch.invited ?? []), items)));
  try {
    await meetingTransaction(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw meetingConflict(error.current, `Meeting changed since version ${expectedVersion}`);
    }
    throw error;
  }
  return after;
}

/** Writes that go with a change of state, and agenda entries they append (the meeting item is updated once). */
export interface StateChangeWrites {
  items: TransactItem[];
  agendaAppend: string[];
}

/**
 * Moves a meeting along draft → open → in progress → closed, or reopens a
 * closed one (admin only; audited as a reopening). `extra` lets the caller
 * add writes that must happen with the change, such as actions carried
 * forward when a meeting opens.
 */
export async function changeMeetingState(
  workspaceId: string,
  meetingId: string,
  to: MeetingState,
  expectedVersion: number,
  actor: Actor,
  now: string,
  extra: (meeting: Meeting) => Promise<StateChangeWrites> = async () => ({ items: [], agendaAppend: [] }),
): Promise<Meeting> {
  const before = await getMeeting(workspaceId, meetingId);
  const refusal = transitionRefusal(before.state, to, actor.role);
  if (refusal && isReopen(before.state, to)) throw new Forbidden(refusal);
  if (refusal) throw new Conflict(refusal, { current: before });
  if (before.version !== expectedVersion) {
    throw new Conflict(`Meeting changed since version ${expectedVersion}`, { current: before });
  }
  const after: Meeting = {
    ...before,
    state: to,
    closedAt: to === 'closed' ? now : before.closedAt,
    revision: before.revision + 1,
    updatedAt: now,
    version: before.version + 1,
  };
  const more = await extra(after);
  const appends = more.agendaAppend.length > 0;
  try {
    await meetingTransaction([
      {
        Update: {
          TableName: tableName(),
          Key: meetingKey(workspaceId, meetingId),
          UpdateExpression: `SET #state = :to, closedAt = :closedAt, revision = revision + :one, updatedAt = :now, version = version + :one${
            appends ? ', agendaOrder = list_append(agendaOrder, :append), agendaVersion = agendaVersion + :one' : ''
          }`,
          ConditionExpression: 'version = :expected AND #state = :from',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':to': to,
            ':from': before.state,
            ':closedAt': after.closedAt,
            ':one': 1,
            ':now': now,
            ':expected': expectedVersion,
            ...(appends ? { ':append': more.agendaAppend } : {}),
          },
        },
      },
      ...more.items,
      auditPut({
        workspaceId,
        actor,
        action: isReopen(before.state, to) ? 'meeting.reopened' : `meeting.${to}`,
        entity: 'meeting',
        entityId: meetingId,
        before: { state: before.state, version: before.version },
        after: { state: to, version: after.version },
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw meetingConflict(error.current, `Meeting changed since version ${expectedVersion}`);
    }
    throw error;
  }
  // The extra writes may have added to the agenda: read back what others will see.
  return appends ? getMeeting(workspaceId, meetingId) : after;
}

// ---------------------------------------------------------------- attendance

/**
 * Marks a member present or absent, with their function and role as they
 * are now, so the minutes and the quorum keep what was true at the meeting.
 * A first marking must not race another; later ones are conditional on the
 * version they were based on.
 */
export async function markAttendance(
  workspaceId: string,
  meetingId: string,
  email: string,
  input: { present: boolean; expectedVersion?: number },
  actor: Actor,
  now: string,
): Promise<Attendee> {
  const refusal = attendanceRefusal(actor, email);
  if (refusal) throw new Forbidden(refusal);
  const member = await getMember(workspaceId, email);
  if (!member) throw new NotFound(`${email} is not a member of this workspace`);
  const attendee: Attendee = {
    email,
    name: member.name,
    function: member.function,
    role: member.role,
    present: input.present,
    markedBy: actor.email,
    markedAt: now,
    version: (input.expectedVersion ?? 0) + 1,
  };
  try {
    await meetingTransaction([
      {
        Put: {
          TableName: tableName(),
          Item: { ...attendeeKey(workspaceId, meetingId, email), type: 'Attendee', ...attendee },
          ...(input.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': input.expectedVersion } }),
        },
      },
      touchMeeting(workspaceId, meetingId, now, 'editable'),
      auditPut({
        workspaceId,
        actor,
        action: input.present ? 'meeting.attendeePresent' : 'meeting.attendeeAbsent',
        entity: 'meeting',
        entityId: meetingId,
        after: attendee,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      if (error.index === 0) {
        throw new Conflict(`Attendance of ${email} changed meanwhile; reload and try again`, {
          current: error.current ? toAttendee(error.current) : undefined,
        });
      }
      throw meetingConflict(error.current, 'The meeting changed meanwhile');
    }
    throw error;
  }
  return attendee;
}

// ---------------------------------------------------------------- agenda

export interface NewAgendaEntry {
  kind: AgendaEntry['kind'];
  title: string;
  durationMinutes: number;
  presenter: string | null;
  notes: string;
  links: AgendaLinks;
  source: AgendaSource;
}

/** What an agenda entry names: its presenter, the issue and threshold it links to and the proposal it came from. */
function agendaReferences(input: { presenter?: string | null; links?: AgendaLinks; source?: AgendaSource }): Reference[] {
  const source = input.source;
  return [
    ...referencesOf('body.presenter', 'member', [input.presenter]),
    ...referencesOf('body.links.issueId', 'issue', [input.links?.issueId]),
    ...referencesOf('body.links.thresholdId', 'threshold', [input.links?.thresholdId]),
    ...referencesOf('body.source.issueId', 'issue', [source?.kind === 'issue' ? source.issueId : undefined]),
    ...referencesOf('body.source.thresholdId', 'threshold', [source?.kind === 'signOff' ? source.thresholdId : undefined]),
  ];
}

/** The Put of a new agenda entry (its place in the order is set by the caller's meeting update). */
export function agendaEntryPut(workspaceId: string, meetingId: string, entry: AgendaEntry): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...agendaKey(workspaceId, meetingId, entry.id), type: 'AgendaEntry', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function newAgendaEntry(input: NewAgendaEntry, now: string): AgendaEntry {
  return {
    id: randomUUID(),
    ...input,
    durationMinutes: input.kind === 'section' ? 0 : input.durationMinutes,
    createdAt: now,
    updatedAt: now,
    version: 1,
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
 * Computes a change of the agenda's order from the meeting as read and writes
 * it conditionally; when another change of the order got in between, reads
 * again and recomputes, since adding or removing an entry does not depend on
 * where the others are.
 */
async function withAgendaOrder(
  workspaceId: string,
  meetingId: string,
  write: (meeting: Meeting) => TransactItem[],
): Promise<Meeting> {
  for (let attempt = 1; ; attempt++) {
    const meeting = await getMeeting(workspaceId, meetingId);
    const refusal = editRefusal(meeting.state);
    if (refusal) throw new Conflict(refusal, { current: meeting });
    try {
      await meetingTransaction(write(meeting));
      return meeting;
    } catch (error) {
      const orderMoved =
        error instanceof TransactionConditionFailed &&
        error.current?.sk === 'MEETING' &&
        error.current.agendaVersion !== meeting.agendaVersion &&
        error.current.state !== 'closed';
      if (!orderMoved || attempt >= 4) throw error;
    }
  }
}

/** Adds a section or item to the agenda, before `beforeId` or at the end, with `more` writes in the same transaction. */
export async function addAgendaEntry(
  workspaceId: string,
  meetingId: string,
  input: NewAgendaEntry & { beforeId?: string },
  actor: Caller,
  now: string,
  more: TransactItem[] = [],
): Promise<AgendaEntry> {
  const { beforeId, ...fields } = input;
  const entry = newAgendaEntry(fields, now);
  const checks = await referenceChecks(workspaceId, agendaReferences(input), more);
  let sent: TransactItem[] = [];
  try {
    await withAgendaOrder(workspaceId, meetingId, (meeting) => {
      if (meeting.agendaOrder.length >= maxAgendaEntries) {
        throw new Conflict(`An agenda holds at most ${maxAgendaEntries} entries`);
      }
      if (beforeId && !meeting.agendaOrder.includes(beforeId)) throw new BadRequest('beforeId is not on this agenda');
      const order = placeEntry([...meeting.agendaOrder, entry.id], entry.id, beforeId ?? null);
      sent = [
        agendaOrderUpdate(workspaceId, meetingId, order, meeting.agendaVersion, now),
        agendaEntryPut(workspaceId, meetingId, entry),
        ...more,
        auditPut({
          workspaceId,
          actor,
          action: 'meeting.agendaAdded',
          entity: 'meeting',
          entityId: meetingId,
          after: entry,
          at: now,
        }),
        ...checks,
      ];
      return sent;
    });
  } catch (error) {
    const refused = brokenReference(error, sent);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed) {
      if (error.index === 0) throw meetingConflict(error.current, 'The agenda changed meanwhile; try again');
      if (error.index >= 2 && error.index < 2 + more.length) {
        throw new Conflict('The proposal was already taken into another meeting’s agenda', { current: error.current });
      }
    }
    throw error;
  }
  return entry;
}

/** Changes an agenda entry, conditional on its version; a stale one gets 409 with the entry as it is now. */
export async function updateAgendaEntry(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  patch: Partial<Pick<AgendaEntry, 'title' | 'durationMinutes' | 'presenter' | 'notes' | 'links'>> & { expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<AgendaEntry> {
  const { expectedVersion, ...changes } = patch;
  const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':now': now };
  const sets = fields.map(([field, value], index) => {
    names[`#f${index}`] = field;
    values[`:v${index}`] = value;
    return `#f${index} = :v${index}`;
  });
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: agendaKey(workspaceId, meetingId, entryId),
        UpdateExpression: `SET ${[...sets, 'version = version + :one', 'updatedAt = :now'].join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    touchMeeting(workspaceId, meetingId, now, 'editable'),
    auditPut({
      workspaceId,
      actor,
      action: 'meeting.agendaUpdated',
      entity: 'meeting',
      entityId: meetingId,
      after: { entryId, ...changes },
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, agendaReferences(changes), items)));
  try {
    await meetingTransaction(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed) {
      if (error.index === 0) {
        if (!error.current) throw new NotFound('Agenda entry not found');
        throw new Conflict(`The agenda entry changed since version ${expectedVersion}`, {
          current: toAgendaEntry(error.current),
        });
      }
      throw meetingConflict(error.current, 'The meeting changed meanwhile');
    }
    throw error;
  }
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: agendaKey(workspaceId, meetingId, entryId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFound('Agenda entry not found');
  return toAgendaEntry(Item);
}

/** Removes an agenda entry that has no outcomes yet, with `more` writes (from the entry) in the same transaction. */
export async function removeAgendaEntry(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  expectedVersion: number,
  actor: Caller,
  now: string,
  more: (entry: AgendaEntry) => Promise<TransactItem[]> = async () => [],
): Promise<void> {
  const full = await getFullMeeting(workspaceId, meetingId);
  const entry = full.agenda.find((candidate) => candidate.id === entryId);
  if (!entry) throw new NotFound('Agenda entry not found');
  if (full.outcomes.some((outcome) => outcome.agendaItemId === entryId)) {
    throw new Conflict('This agenda item has recorded outcomes and stays in the minutes');
  }
  const extra = await more(entry);
  try {
    await withAgendaOrder(workspaceId, meetingId, (meeting) => [
      agendaOrderUpdate(
        workspaceId,
        meetingId,
        meeting.agendaOrder.filter((id) => id !== entryId),
        meeting.agendaVersion,
        now,
      ),
      {
        Delete: {
          TableName: tableName(),
          Key: agendaKey(workspaceId, meetingId, entryId),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      ...extra,
      auditPut({
        workspaceId,
        actor,
        action: 'meeting.agendaRemoved',
        entity: 'meeting',
        entityId: meetingId,
        before: entry,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      if (error.index === 1) {
        throw new Conflict(`The agenda entry changed since version ${expectedVersion}`, {
          current: error.current ? toAgendaEntry(error.current) : undefined,
        });
      }
      throw meetingConflict(error.current, 'The agenda changed meanwhile; try again');
    }
    throw error;
  }
}

/**
 * Replaces the agenda's order, conditional on the agenda version the new
 * order was computed from. Two people reordering at once: the second gets
 * 409 with the current meeting (order and agenda version) and applies their
 * move again on top of it, so neither move is lost.
 */
export async function reorderAgenda(
  workspaceId: string,
  meetingId: string,
  order: string[],
  expectedAgendaVersion: number,
  actor: Caller,
  now: string,
): Promise<Meeting> {
  const meeting = await getMeeting(workspaceId, meetingId);
  const refusal = editRefusal(meeting.state);
  if (refusal) throw new Conflict(refusal, { current: meeting });
  if (meeting.agendaVersion !== expectedAgendaVersion) {
    throw new Conflict(`The agenda changed since version ${expectedAgendaVersion}`, { current: meeting });
  }
  const orderRefusal = reorderRefusal(meeting.agendaOrder, order);
  if (orderRefusal) throw new Conflict(orderRefusal, { current: meeting });
  try {
    await meetingTransaction([
      agendaOrderUpdate(workspaceId, meetingId, order, expectedAgendaVersion, now),
      auditPut({
        workspaceId,
        actor,
        action: 'meeting.agendaReordered',
        entity: 'meeting',
        entityId: meetingId,
        before: meeting.agendaOrder,
        after: order,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw meetingConflict(error.current, `The agenda changed since version ${expectedAgendaVersion}`);
    }
    throw error;
  }
  return { ...meeting, agendaOrder: order, agendaVersion: expectedAgendaVersion + 1, revision: meeting.revision + 1 };
}
