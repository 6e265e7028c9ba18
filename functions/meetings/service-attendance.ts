import type { Attendee } from '#contract/meetings/meetings';
import { attendancePolicy } from '#contract/meetings/policies';
import { Refused, refuse } from '#contract/refusal';
import { auditPut } from '#functions/table/audit-trail';
import { named, TransactionConditionFailed } from '#functions/table/transactions';
import { getMember } from '#functions/workspaces/workspaces';
import { attendeeEntity, meetingTransaction, touchMeeting } from './entities-meeting';
import type { Actor } from './service-lifecycle';
import { meetingConflict } from './service-reads';

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
  actorToBe: Actor | Promise<Actor>,
  now: string,
): Promise<Attendee> {
  // Who is asking (their role) is read beside the person they mark.
  const [actor, member] = await Promise.all([actorToBe, getMember(workspaceId, email)]);
  const refusal = attendancePolicy(actor, email);
  if (refusal) throw new Refused(refusal);
  if (!member) throw refuse.notFound(`${email} is not a member of this workspace`);
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
  const attendees = attendeeEntity(workspaceId, meetingId);
  try {
    await meetingTransaction([
      named(
        'attendee',
        input.expectedVersion === undefined
          ? attendees.put(attendee, { condition: 'attribute_not_exists(pk)' })
          : attendees.put(attendee, { condition: 'version = :expected', values: { ':expected': input.expectedVersion } }),
      ),
      named('meeting', touchMeeting(workspaceId, meetingId, now, 'editable')),
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
      if (error.part === 'attendee') {
        throw refuse.conflict(`Attendance of ${email} changed meanwhile; reload and try again`, {
          current: error.current ? attendees.parse(error.current) : undefined,
        });
      }
      if (error.part === 'meeting') throw meetingConflict(error.current, 'The meeting changed meanwhile');
    }
    throw error;
  }
  return attendee;
}
