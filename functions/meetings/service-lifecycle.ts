import { randomUUID } from 'node:crypto';
import { isReopen, type Meeting, type MeetingState } from '#contract/meetings/meetings';
import { type MeetingActor, meetingUpdatePolicy, stateChangePolicy } from '#contract/meetings/policies';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { tableName } from '#functions/table/client';
import { brokenReference, referenceChecks, referencesOf } from '#functions/table/references';
import { named, type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { meetingEntity, meetingStateUpdate, meetingTransaction } from './entities-meeting';
import { carryForwardWrites, cycleMeetingsAhead } from './service-carry-forward';
import { getMeeting, meetingConflict } from './service-reads';

/** Who is acting, with the role the rules need. */
export interface Actor extends Pick<Caller, 'email' | 'name'>, MeetingActor {}

/** What a new meeting is made from: the rest is the meeting's own bookkeeping. */
export type NewMeeting = Pick<
  Meeting,
  'cycleId' | 'title' | 'meetingType' | 'startsAt' | 'durationMinutes' | 'location' | 'invited'
>;

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
    named('meeting', meetingEntity.put(meeting, { condition: 'attribute_not_exists(pk)' })),
    auditPut({ workspaceId, actor, action: 'meeting.created', entity: 'meeting', entityId: meeting.id, after: meeting, at: now }),
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
  const refusal = meetingUpdatePolicy(before, patch.expectedVersion);
  if (refusal) throw new Refused(refusal);
  const { expectedVersion, ...changes } = patch;
  const after: Meeting = {
    ...before,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    revision: before.revision + 1,
    updatedAt: now,
    version: before.version + 1,
  };
  const items: TransactItem[] = [
    named('meeting', {
      Put: {
        TableName: tableName(),
        Item: meetingEntity.item(after),
        ConditionExpression: 'version = :expected AND #state <> :closed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':expected': expectedVersion, ':closed': 'closed' },
      },
    }),
    auditPut({ workspaceId, actor, action: 'meeting.updated', entity: 'meeting', entityId: meetingId, before, after, at: now }),
  ];
  items.push(...(await referenceChecks(workspaceId, invitedReferences(patch.invited ?? []), items)));
  try {
    await meetingTransaction(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.part === 'meeting') {
      throw meetingConflict(error.current, `Meeting changed since version ${expectedVersion}`);
    }
    throw error;
  }
  return after;
}

/**
 * Runs a meeting one step on, draft → open → in progress → closed, or
 * reopens a closed one (admin only; audited as a reopening). Opening carries
 * the cycle's unfinished actions forward in the same transaction; when
 * another meeting took one of them at the same moment, the selection is made
 * again. `cycleHint`, the meeting's cycle as the caller has it, lets the
 * cycle's meetings be read beside the meeting; they count only when the
 * stored meeting is of that cycle.
 */
export async function changeMeetingState(
  workspaceId: string,
  meetingId: string,
  to: MeetingState,
  expectedVersion: number,
  actor: Actor | Promise<Actor>,
  now: string,
  cycleHint?: string,
): Promise<Meeting> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await changeStateOnce(workspaceId, meetingId, to, expectedVersion, actor, now, cycleHint);
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (attempt >= 3) throw refuse.conflict('Actions were carried forward by another meeting meanwhile; try again');
    }
  }
}

async function changeStateOnce(
  workspaceId: string,
  meetingId: string,
  to: MeetingState,
  expectedVersion: number,
  actorToBe: Actor | Promise<Actor>,
  now: string,
  cycleHint: string | undefined,
): Promise<Meeting> {
  // Read afresh on every attempt: a retry follows an action another meeting took meanwhile.
  const ahead = to === 'open' && cycleHint ? cycleMeetingsAhead(workspaceId, cycleHint) : undefined;
  // Who is asking (their role) is read beside the meeting.
  const [before, actor] = await Promise.all([getMeeting(workspaceId, meetingId), actorToBe]);
  const refusal = stateChangePolicy(before, to, expectedVersion, actor);
  if (refusal) throw new Refused(refusal);
  const after: Meeting = {
    ...before,
    state: to,
    closedAt: to === 'closed' ? now : before.closedAt,
    revision: before.revision + 1,
    updatedAt: now,
    version: before.version + 1,
  };
  const carried = to === 'open' ? await carryForwardWrites(workspaceId, after, now, ahead) : { items: [], agendaAppend: [] };
  try {
    await meetingTransaction([
      named('meeting', meetingStateUpdate(before, after, carried.agendaAppend, now)),
      ...carried.items,
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
    if (error instanceof TransactionConditionFailed && error.part === 'meeting') {
      throw meetingConflict(error.current, `Meeting changed since version ${expectedVersion}`);
    }
    throw error;
  }
  // The carried actions were added to the agenda: read back what others will see.
  return carried.agendaAppend.length > 0 ? getMeeting(workspaceId, meetingId) : after;
}
