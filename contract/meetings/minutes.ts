import { memberFunctions } from '#contract/workspaces/members';
import {
  type ActionOutcome,
  type AgendaEntry,
  type Attendee,
  type DecisionOutcome,
  type FullMeeting,
  type Meeting,
  meetingStateLabels,
  meetingTypeLabels,
  type Outcome,
} from './meetings';
import { awaitingConfirmation, proposalState } from './sign-off-proposals';

/**
 * The minutes of a meeting, as the printable page and the Markdown export
 * both present them: attendees grouped by function, then each agenda entry
 * with its outcomes, then every decision and every action in one place.
 */
export interface Minutes {
  title: string;
  subtitle: string;
  attendeesByFunction: Array<{ function: string; present: Attendee[] }>;
  absent: Attendee[];
  agenda: Array<{ entry: AgendaEntry; outcomes: Outcome[] }>;
  /** The agenda's items under their sections, numbered across sections (`start` is the first item's number). */
  sections: Array<{ title: string | null; start: number; items: Array<{ entry: AgendaEntry; outcomes: Outcome[] }> }>;
  decisions: DecisionOutcome[];
  actions: ActionOutcome[];
}

export function minutesOf(full: FullMeeting): Minutes {
  const { meeting, attendees, agenda, outcomes } = full;
  const present = attendees.filter((attendee) => attendee.present);
  const withOutcomes = agenda.map((entry) => ({
    entry,
    outcomes: outcomes.filter((outcome) => outcome.agendaItemId === entry.id),
  }));
  const sections: Minutes['sections'] = [];
  let number = 1;
  for (const item of withOutcomes) {
    if (item.entry.kind === 'section') {
      sections.push({ title: item.entry.title, start: number, items: [] });
      continue;
    }
    if (sections.length === 0) sections.push({ title: null, start: number, items: [] });
    sections[sections.length - 1]?.items.push(item);
    number += 1;
  }
  return {
    title: meeting.title,
    subtitle: `${meetingTypeLabels[meeting.meetingType]} · ${meeting.startsAt.slice(0, 16).replace('T', ' ')} UTC · ${meeting.durationMinutes} min · ${meetingStateLabels[meeting.state]}${meeting.location ? ` · ${meeting.location}` : ''}`,
    attendeesByFunction: memberFunctions
      .map((fn) => ({ function: fn, present: present.filter((attendee) => attendee.function === fn) }))
      .filter((group) => group.present.length > 0),
    absent: attendees.filter((attendee) => !attendee.present),
    agenda: withOutcomes,
    sections,
    decisions: outcomes.filter((outcome): outcome is DecisionOutcome => outcome.kind === 'decision'),
    actions: outcomes.filter((outcome): outcome is ActionOutcome => outcome.kind === 'action'),
  };
}

/** Markdown text never breaks out of its line or table cell. */
const inline = (text: string) => text.replace(/\s+/g, ' ').replace(/([\\`*_[\]|<>#])/g, '\\$1');

/** Names for the records a meeting's decisions changed: issue titles and portfolio item codes, by id. */
export interface MinutesLabels {
  issues: Record<string, string>;
  items: Record<string, string>;
}

/**
 * What a decision changed, in words. A proposed sign-off reads as signed off
 * only once every named signer confirmed it; otherwise it says who has not,
 * and whether it lapsed when the meeting closed.
 */
const effectText = (outcome: DecisionOutcome, meeting: Meeting, labels: MinutesLabels) =>
  outcome.effects
    .map((effect) => {
      if (effect.kind === 'issueStatus') {
        const title = labels.issues[effect.issueId];
        return `${title === undefined ? `issue ${effect.issueId}` : `issue “${inline(title)}”`} set to ${effect.status}`;
      }
      const code = labels.items[effect.thresholdId];
      const threshold = `${code === undefined ? `threshold ${effect.thresholdId}` : `threshold of ${inline(code)}`} v${effect.thresholdVersion}`;
      const signers = effect.signers.join(', ');
      const missing = awaitingConfirmation(effect).join(', ');
      switch (proposalState(effect, outcome, meeting)) {
        case 'confirmed':
          return `${threshold} signed off by ${signers}`;
        case 'lapsed':
          return `sign-off of ${threshold} by ${signers} lapsed: ${missing} did not confirm before the meeting closed`;
        default:
          return `sign-off of ${threshold} by ${signers} proposed, awaiting confirmation by ${missing}`;
      }
    })
    .join('; ');

/** The minutes as a Markdown document; `labels` name the issues and thresholds decisions changed. */
export function minutesMarkdown(full: FullMeeting, labels: MinutesLabels = { issues: {}, items: {} }): string {
  const minutes = minutesOf(full);
  const lines: string[] = [`# Minutes: ${inline(minutes.title)}`, '', inline(minutes.subtitle), '', '## Attendees', ''];
  if (minutes.attendeesByFunction.length === 0) lines.push('Nobody was marked present.');
  for (const group of minutes.attendeesByFunction) {
    lines.push(`- **${group.function}**: ${group.present.map((a) => `${inline(a.name)} (${a.role})`).join(', ')}`);
  }
  if (minutes.absent.length > 0) lines.push(`- **absent**: ${minutes.absent.map((a) => inline(a.name)).join(', ')}`);
  lines.push('', '## Agenda', '');
  for (const { entry, outcomes } of minutes.agenda) {
    if (entry.kind === 'section') {
      lines.push(`### ${inline(entry.title)}`, '');
      continue;
    }
    lines.push(`- ${inline(entry.title)} (${entry.durationMinutes} min${entry.presenter ? `, ${inline(entry.presenter)}` : ''})`);
    for (const outcome of outcomes) lines.push(`  - ${outcome.kind}: ${inline(outcome.text)}`);
  }
  lines.push('', '## Decisions', '');
  if (minutes.decisions.length === 0) lines.push('No decisions.');
  for (const decision of minutes.decisions) {
    const effects = effectText(decision, full.meeting, labels);
    lines.push(`- ${inline(decision.text)}${effects ? ` (${inline(effects)})` : ''}`);
  }
  lines.push('', '## Actions', '');
  if (minutes.actions.length === 0) {
    lines.push('No actions.');
  } else {
    lines.push('| Action | Owner | Due | Status |', '| --- | --- | --- | --- |');
    for (const action of minutes.actions) {
      lines.push(`| ${inline(action.text)} | ${inline(action.ownerName)} | ${action.dueDate} | ${action.status} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
