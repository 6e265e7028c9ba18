import * as z from 'zod';
import { email, expectedVersion, id, name, pageQuery, workspaceParams } from '#contract/common';
import { actionStatuses, issueStatuses, maxAgendaEntries, maxInvited, meetingStates, meetingTypes } from './meetings';

export const meetingParams = workspaceParams.extend({ meetingId: id });
export const agendaEntryParams = meetingParams.extend({ entryId: id });
export const actionParams = meetingParams.extend({ actionId: id });
export const outcomeParams = meetingParams.extend({ outcomeId: id });

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** ISO date-time with a zone, stored in UTC so meetings sort by time as strings. */
const dateTime = z.iso
  .datetime({ offset: true, message: 'must be a date-time like 2027-01-15T09:00:00Z' })
  .transform((value) => new Date(value).toISOString());

const isoDate = z.iso.date({ message: 'must be a date like 2027-01-31' });

const duration = (max: number) => z.number().int('must be whole minutes').min(0).max(max, `must be at most ${max} minutes`);

const meetingFields = {
  title: name(160),
  meetingType: z.enum(meetingTypes),
  startsAt: dateTime,
  durationMinutes: duration(12 * 60).min(5, 'must be at least 5 minutes'),
  location: text(300).default(''),
  invited: z.array(email).max(maxInvited, `must list at most ${maxInvited} members`).default([]),
};

export const createMeetingBody = z.strictObject({ cycleId: id, ...meetingFields });

export const updateMeetingBody = z
  .strictObject({
    title: meetingFields.title.optional(),
    meetingType: meetingFields.meetingType.optional(),
    startsAt: meetingFields.startsAt.optional(),
    durationMinutes: meetingFields.durationMinutes.optional(),
    location: text(300).optional(),
    invited: z.array(email).max(maxInvited, `must list at most ${maxInvited} members`).optional(),
    expectedVersion,
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'must change at least one field' });

export const listMeetingsQuery = z.strictObject({ cycleId: id.optional(), ...pageQuery });

export const changeStateBody = z.strictObject({ to: z.enum(meetingStates), expectedVersion });

export const attendanceParams = meetingParams.extend({
  email: z
    .string()
    .max(800)
    .transform((value) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    })
    .pipe(email),
});

/** `expectedVersion` is the attendance record's version as seen; leave it out when the member was not marked yet. */
export const markAttendanceBody = z.strictObject({ present: z.boolean(), expectedVersion: expectedVersion.optional() });

const links = z.strictObject({
  issueId: id.optional(),
  thresholdId: id.optional(),
  thresholdVersion: z.number().int().min(1).max(1_000_000).optional(),
});

const source = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({ kind: z.literal('issue'), issueId: id }),
  z.strictObject({ kind: z.literal('signOff'), thresholdId: id, thresholdVersion: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ kind: z.literal('action'), meetingId: id, actionId: id }),
]);

export const addAgendaEntryBody = z.strictObject({
  kind: z.enum(['section', 'item']).default('item'),
  title: name(200),
  durationMinutes: duration(8 * 60).default(0),
  presenter: email.nullable().default(null),
  notes: text(4000).default(''),
  links: links.default({}),
  source: source.default({ kind: 'manual' }),
  /** Where to insert; at the end when omitted. */
  beforeId: id.optional(),
});

export const updateAgendaEntryBody = z
  .strictObject({
    title: name(200).optional(),
    durationMinutes: duration(8 * 60).optional(),
    presenter: email.nullable().optional(),
    notes: text(4000).optional(),
    links: links.optional(),
    expectedVersion,
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'must change at least one field' });

export const removeAgendaEntryQuery = z.strictObject({ expectedVersion: z.coerce.number().int().min(1) });

export const reorderAgendaBody = z.strictObject({
  order: z.array(id).max(maxAgendaEntries, `must list at most ${maxAgendaEntries} entries`),
  expectedAgendaVersion: expectedVersion,
});

const effect = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('issueStatus'), issueId: id, status: z.enum(issueStatuses) }),
  z.strictObject({
    kind: z.literal('thresholdSignOff'),
    thresholdId: id,
    thresholdVersion: z.number().int().min(1).max(1_000_000),
    signers: z.array(email).min(2, 'needs a sales and an operations manager').max(10),
  }),
]);

const outcomeText = name(2000);

export const recordOutcomeBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('information'), agendaItemId: id, text: outcomeText }),
  z.strictObject({
    kind: z.literal('decision'),
    agendaItemId: id,
    text: outcomeText,
    links: links.default({}),
    effects: z.array(effect).max(5, 'must list at most 5 effects').default([]),
  }),
  z.strictObject({ kind: z.literal('action'), agendaItemId: id, text: outcomeText, owner: email, dueDate: isoDate }),
]);

export const updateActionBody = z.strictObject({ status: z.enum(actionStatuses), expectedVersion });

export const pollQuery = z.strictObject({ since: z.coerce.number().int().min(0).optional() });

export const backlogQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(10) });
