// The meeting screen's one door to the meeting rules it shares with the API: its parts import them from here.
export {
  type AgendaEntry,
  type Attendee,
  agendaTimes,
  attendanceRefusal,
  type Backlog,
  type BacklogProposal,
  type Meeting,
  type MeetingState,
  meetingStateLabels,
  meetingTypeLabels,
  moveEntry,
  nextState,
  type Outcome,
  placeEntry,
  quorumMembers,
  quorumRefusal,
  type SignOffProposal,
  transitionRefusal,
} from '#contract/meetings/meetings';
export { awaitingConfirmation, proposalState } from '#contract/meetings/sign-off-proposals';
export type { MemberView } from '#contract/views';

import type { currentWorkspace } from '#web/lib/workspace.svelte.ts';

/** The person looking at the meeting, as their workspace sees them. */
export type You = NonNullable<typeof currentWorkspace.value>['you'];

/**
 * Runs a change to the meeting, then shows the meeting as it is now; a
 * refusal is shown on the meeting screen, never thrown. `done` is announced.
 * True when the change was saved.
 */
export type Act = (what: () => Promise<unknown>, done?: string) => Promise<boolean>;

/** The meeting screen's URL parameters. */
export interface MeetingParams {
  workspaceId: string;
  meetingId: string;
}
