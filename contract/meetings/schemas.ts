import * as z from 'zod/mini';
import {
  coercedNumber,
  email,
  emailInPath,
  expectedVersion,
  id,
  isoDateTime,
  isoDay,
  name,
  pageQuery,
  workspaceParams,
} from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { actionStatuses, issueStatuses, maxAgendaEntries, maxInvited, meetingStates, meetingTypes } from './meetings';

export const meetingParams = lazySchema(() => z.extend(workspaceParams, { meetingId: id }));
export const agendaEntryParams = lazySchema(() => z.extend(meetingParams, { entryId: id }));
export const actionParams = lazySchema(() => z.extend(meetingParams, { actionId: id }));
export const outcomeParams = lazySchema(() => z.extend(meetingParams, { outcomeId: id }));

const text = (max: number) => z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`));

/** ISO date-time with a zone, stored in UTC so meetings sort by time as strings. */
const dateTime = lazySchema(() =>
  z.pipe(
    isoDateTime({ offset: true, error: 'must be a date-time like 2027-01-15T09:00:00Z' }),
    z.transform((value: string) => new Date(value).toISOString()),
  ),
);

const dueDate = lazySchema(() => isoDay('must be a date like 2027-01-31'));

const duration = (max: number) =>
  z.number().check(z.int('must be whole minutes'), z.minimum(0), z.maximum(max, `must be at most ${max} minutes`));

const versionNumber = lazySchema(() => z.int().check(z.minimum(1), z.maximum(1_000_000)));

const invitedList = lazySchema(() => z.array(email).check(z.maxLength(maxInvited, `must list at most ${maxInvited} members`)));

const meetingFields = {
  title: lazySchema(() => name(160)),
  meetingType: lazySchema(() => z.enum(meetingTypes)),
  startsAt: dateTime,
  durationMinutes: lazySchema(() => duration(12 * 60).check(z.minimum(5, 'must be at least 5 minutes'))),
  location: lazySchema(() => z._default(text(300), '')),
  invited: lazySchema(() => z._default(invitedList, [])),
};

export const createMeetingBody = lazySchema(() => z.strictObject({ cycleId: id, ...meetingFields }));

export const updateMeetingBody = lazySchema(() =>
  z
    .strictObject({
      title: z.optional(meetingFields.title),
      meetingType: z.optional(meetingFields.meetingType),
      startsAt: z.optional(meetingFields.startsAt),
      durationMinutes: z.optional(meetingFields.durationMinutes),
      location: z.optional(text(300)),
      invited: z.optional(invitedList),
      expectedVersion,
    })
    .check(z.refine((body) => Object.keys(body).length > 1, { message: 'must change at least one field' })),
);

export const listMeetingsQuery = lazySchema(() => z.strictObject({ cycleId: z.optional(id), ...pageQuery }));

export const changeStateBody = lazySchema(() => z.strictObject({ to: z.enum(meetingStates), expectedVersion }));

export const attendanceParams = lazySchema(() => z.extend(meetingParams, { email: emailInPath }));

/** `expectedVersion` is the attendance record's version as seen; leave it out when the member was not marked yet. */
export const markAttendanceBody = lazySchema(() =>
  z.strictObject({ present: z.boolean(), expectedVersion: z.optional(expectedVersion) }),
);

const links = lazySchema(() =>
  z.strictObject({
    issueId: z.optional(id),
    thresholdId: z.optional(id),
    thresholdVersion: z.optional(versionNumber),
  }),
);

const source = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('manual') }),
    z.strictObject({ kind: z.literal('issue'), issueId: id }),
    z.strictObject({ kind: z.literal('signOff'), thresholdId: id, thresholdVersion: versionNumber }),
    z.strictObject({ kind: z.literal('action'), meetingId: id, actionId: id }),
  ]),
);

export const addAgendaEntryBody = lazySchema(() =>
  z.strictObject({
    kind: z._default(z.enum(['section', 'item']), 'item'),
    title: name(200),
    durationMinutes: z._default(duration(8 * 60), 0),
    presenter: z._default(z.nullable(email), null),
    notes: z._default(text(4000), ''),
    links: z._default(links, {}),
    source: z._default(source, { kind: 'manual' }),
    /** Where to insert; at the end when omitted. */
    beforeId: z.optional(id),
  }),
);

export const updateAgendaEntryBody = lazySchema(() =>
  z
    .strictObject({
      title: z.optional(name(200)),
      durationMinutes: z.optional(duration(8 * 60)),
      presenter: z.optional(z.nullable(email)),
      notes: z.optional(text(4000)),
      links: z.optional(links),
      expectedVersion,
    })
    .check(z.refine((body) => Object.keys(body).length > 1, { message: 'must change at least one field' })),
);

export const removeAgendaEntryQuery = lazySchema(() =>
  z.strictObject({ expectedVersion: coercedNumber().check(z.int(), z.minimum(1)) }),
);

export const reorderAgendaBody = lazySchema(() =>
  z.strictObject({
    order: z.array(id).check(z.maxLength(maxAgendaEntries, `must list at most ${maxAgendaEntries} entries`)),
    expectedAgendaVersion: expectedVersion,
  }),
);

const effect = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('issueStatus'), issueId: id, status: z.enum(issueStatuses) }),
    z.strictObject({
      kind: z.literal('thresholdSignOff'),
      thresholdId: id,
      thresholdVersion: versionNumber,
      signers: z.array(email).check(z.minLength(2, 'needs a sales and an operations manager'), z.maxLength(10)),
    }),
  ]),
);

const outcomeText = lazySchema(() => name(2000));

export const recordOutcomeBody = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('information'), agendaItemId: id, text: outcomeText }),
    z.strictObject({
      kind: z.literal('decision'),
      agendaItemId: id,
      text: outcomeText,
      links: z._default(links, {}),
      effects: z._default(z.array(effect).check(z.maxLength(5, 'must list at most 5 effects')), []),
    }),
    z.strictObject({ kind: z.literal('action'), agendaItemId: id, text: outcomeText, owner: email, dueDate }),
  ]),
);

export const updateActionBody = lazySchema(() => z.strictObject({ status: z.enum(actionStatuses), expectedVersion }));

export const pollQuery = lazySchema(() => z.strictObject({ since: z.optional(coercedNumber().check(z.int(), z.minimum(0))) }));

/**
 * An id the caller already knows from the records it shows, sent so a read whose key depends on it goes out
 * beside the read that proves it. The answer never depends on it: a hint the stored records do not confirm is
 * set aside and the read made again with the stored value, one round trip later.
 */
const hint = (what: string) =>
  z.optional(
    z.uuid('must be an id (UUID)').check(z.describe(`Optional: ${what}, to save a round trip; never changes the answer`)),
  );
const meetingCycleHint = lazySchema(() => hint('the meeting’s budget cycle as you have it'));

export const backlogQuery = lazySchema(() =>
  z.strictObject({
    limit: z._default(coercedNumber().check(z.int(), z.minimum(1), z.maximum(50)), 10),
    cycleId: meetingCycleHint,
  }),
);

/** Opening a meeting reads its cycle’s meetings for the actions it carries forward: `cycleId` lets that read start at once. */
export const changeStateQuery = lazySchema(() => z.strictObject({ cycleId: meetingCycleHint }));

/** The threshold a sign-off confirmation writes is keyed by the meeting’s cycle and the proposal’s item. */
export const confirmSignOffQuery = lazySchema(() =>
  z
    .strictObject({
      cycleId: meetingCycleHint,
      itemId: hint('the item of the sign-off proposal that names you, as you have it'),
    })
    .check(
      z.refine((query) => (query.cycleId === undefined) === (query.itemId === undefined), {
        path: ['itemId'],
        message: 'must be given together with cycleId (the threshold’s cycle and item)',
      }),
    ),
);
