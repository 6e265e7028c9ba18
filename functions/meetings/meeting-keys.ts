import { workspacePk } from '#functions/table/keys';

/**
 * Key formats of meetings. A meeting and everything in it (attendance,
 * agenda entries, outcomes) share one partition, so the full meeting is one
 * Query and the live poll is one GetItem on the meeting item.
 *
 * - meeting item: sk `MEETING`; on gsi1 under the workspace's meeting list,
 *   sorted by cycle then start time, so a cycle's meetings are one Query too.
 * - attendance: sk `ATTENDEE#<email>`
 * - agenda entry: sk `AGENDA#<entryId>` (their order is a list on the meeting item)
 * - outcome: sk `OUTCOME#<outcomeId>`; action items are also on gsi1 under
 *   their owner, open ones first, so "my actions" is one Query.
 */
export const meetingPk = (workspaceId: string, meetingId: string) => `${workspacePk(workspaceId)}#MEETING#${meetingId}`;

export const meetingKey = (workspaceId: string, meetingId: string) => ({ pk: meetingPk(workspaceId, meetingId), sk: 'MEETING' });

export const attendeeKey = (workspaceId: string, meetingId: string, email: string) => ({
  pk: meetingPk(workspaceId, meetingId),
  sk: `ATTENDEE#${email}`,
});

export const agendaKey = (workspaceId: string, meetingId: string, entryId: string) => ({
  pk: meetingPk(workspaceId, meetingId),
  sk: `AGENDA#${entryId}`,
});

export const outcomeKey = (workspaceId: string, meetingId: string, outcomeId: string) => ({
  pk: meetingPk(workspaceId, meetingId),
  sk: `OUTCOME#${outcomeId}`,
});

export const meetingListGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#MEETINGS`;
export const meetingListGsiSk = (cycleId: string, startsAt: string, meetingId: string) =>
  `CYCLE#${cycleId}#${startsAt}#${meetingId}`;
export const cycleMeetingsPrefix = (cycleId: string) => `CYCLE#${cycleId}#`;

export const ownerActionsGsiPk = (workspaceId: string, email: string) => `${workspacePk(workspaceId)}#ACTIONS#${email}`;
/** Open actions sort first, by due date; finished ones after them. */
export const ownerActionsGsiSk = (status: string, dueDate: string, actionId: string) =>
  `${status === 'open' ? '0-OPEN' : '1-DONE'}#${dueDate}#${actionId}`;
