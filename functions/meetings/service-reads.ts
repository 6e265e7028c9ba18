import type { FullMeeting, Meeting, MeetingState } from '#contract/meetings/meetings';
import { editRefusal } from '#contract/meetings/meetings';
import { type Refused, refuse } from '#contract/refusal';
import { compareText } from '#contract/text-order';
import type { Page } from '#functions/table/pages';
import { agendaEntryEntity } from './entities-agenda';
import {
  attendeeEntity,
  listMeetings as listMeetingItems,
  meetingEntity,
  readMeeting,
  readMeetingPartition,
  readMeetingRevision,
} from './entities-meeting';
import { outcomeEntity } from './entities-outcomes';

/** The meeting as stored now; a meeting of another workspace is as missing as one that never was. */
export async function getMeeting(workspaceId: string, meetingId: string): Promise<Meeting> {
  const meeting = await readMeeting(workspaceId, meetingId);
  if (!meeting) throw refuse.notFound('Meeting not found');
  return meeting;
}

/** The live poll's answer: whether anything in the meeting changed since the revision the screen shows. */
export async function pollMeeting(
  workspaceId: string,
  meetingId: string,
  since: number | undefined,
): Promise<{ revision: number; state: MeetingState; changed: boolean }> {
  const found = await readMeetingRevision(workspaceId, meetingId);
  if (!found) throw refuse.notFound('Meeting not found');
  return { ...found, changed: since === undefined || since !== found.revision };
}

/** The meeting with its attendance, ordered agenda and outcomes: one Query over its partition. */
export async function getFullMeeting(workspaceId: string, meetingId: string): Promise<FullMeeting> {
  const items = await readMeetingPartition(workspaceId, meetingId);
  const head = items.find((item) => item.sk === 'MEETING');
  if (!head) throw refuse.notFound('Meeting not found');
  const meeting = meetingEntity.parse(head);
  const byPrefix = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
  const agendaEntries = agendaEntryEntity(workspaceId, meetingId);
  const entries = new Map(byPrefix('AGENDA#').map((item) => [String(item.id), agendaEntries.parse(item)]));
  const agenda = meeting.agendaOrder.flatMap((id) => entries.get(id) ?? []);
  const outcomes = byPrefix('OUTCOME#')
    .map(outcomeEntity(workspaceId, meetingId).parse)
    .sort((a, b) => compareText(a.recordedAt, b.recordedAt));
  const attendees = byPrefix('ATTENDEE#')
    .map(attendeeEntity(workspaceId, meetingId).parse)
    .sort((a, b) => compareText(a.name, b.name));
  return { meeting, attendees, agenda, outcomes };
}

/** One page of the workspace's meetings, by cycle then start time; only one cycle's when `cycleId` is given. */
export function listMeetings(
  workspaceId: string,
  query: { cycleId?: string; limit: number; cursor?: string },
): Promise<Page<Meeting>> {
  return listMeetingItems(workspaceId, query);
}

/** A failed condition on the meeting item, as the refusal that says why and carries the meeting as it is now. */
export function meetingConflict(current: Record<string, unknown> | undefined, fallback: string): Refused {
  if (!current) return refuse.notFound('Meeting not found');
  const meeting = meetingEntity.parse(current);
  return refuse.conflict(editRefusal(meeting.state) ?? fallback, { current: meeting });
}
