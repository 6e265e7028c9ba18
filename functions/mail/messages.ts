import type { Mail } from './mailer';
import { maxSubjectLength } from './mailer';

/**
 * The app's messages as plain text. Names come from people and workspaces,
 * so they are folded onto one line and never put into HTML.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
const subject = (text: string) => oneLine(text).slice(0, maxSubjectLength);

/** Where the app is, e.g. `https://accord.example.com` (no trailing slash), when the environment says. */
export const appLink = (appUrl: string | undefined, path: string) =>
  appUrl ? `${appUrl.replace(/\/+$/, '')}${path}` : undefined;

export interface InvitationInput {
  to: string;
  workspaceId: string;
  workspaceName: string;
  invitedBy: { name: string; email: string };
  appUrl?: string;
}

/** "You were invited to <workspace> by <admin>", with the link to the workspace. */
export function invitationMail(input: InvitationInput): Mail {
  const workspace = oneLine(input.workspaceName);
  const by = `${oneLine(input.invitedBy.name)} (${input.invitedBy.email})`;
  const link = appLink(input.appUrl, `/w/${encodeURIComponent(input.workspaceId)}`);
  return {
    to: input.to,
    subject: subject(`You were invited to ${workspace} on Accord`),
    text: [
      `You were invited to ${workspace} by ${by}.`,
      '',
      link ? `Open the workspace: ${link}` : 'Open Accord and sign in with this email address.',
      'Sign in with this email address. If you did not expect this invitation, you can ignore this message.',
      '',
    ].join('\n'),
  };
}

export interface ActionReminderInput {
  to: string;
  ownerName: string;
  workspaceId: string;
  meetingTitle: string;
  text: string;
  dueDate: string;
  /** The day the reminder is for (UTC, `YYYY-MM-DD`). */
  today: string;
  appUrl?: string;
}

/** One action item that is due tomorrow, due today or overdue, to its owner. */
export function actionReminderMail(input: ActionReminderInput): Mail {
  const when = input.dueDate > input.today ? 'tomorrow' : input.dueDate === input.today ? 'today' : 'overdue';
  const what = oneLine(input.text).slice(0, 120);
  const meeting = `"${oneLine(input.meetingTitle)}"`;
  const link = appLink(input.appUrl, `/w/${encodeURIComponent(input.workspaceId)}`);
  return {
    to: input.to,
    subject: subject(when === 'overdue' ? `Overdue since ${input.dueDate}: ${what}` : `Due ${when}: ${what}`),
    text: [
      `Hello ${oneLine(input.ownerName)},`,
      '',
      when === 'overdue'
        ? `Your action from ${meeting} was due on ${input.dueDate} and is still open:`
        : `Your action from ${meeting} is due ${when}, ${input.dueDate}:`,
      '',
      `  ${oneLine(input.text)}`,
      '',
      link
        ? `Mark it done or see your other actions: ${link}`
        : 'Mark it done under My actions on the workspace overview in Accord.',
      'You get one reminder a day while it is open and due.',
      '',
    ].join('\n'),
  };
}

export interface NotificationMailInput {
  to: string;
  workspaceId: string;
  workspaceName: string;
  title: string;
  text: string;
  appUrl?: string;
}

/** A notification, as the recipient finds it in their inbox, with the way to turn these mails off. */
export function notificationMail(input: NotificationMailInput): Mail {
  const link = appLink(input.appUrl, `/w/${encodeURIComponent(input.workspaceId)}/notifications`);
  return {
    to: input.to,
    subject: subject(`${input.title} · ${input.workspaceName}`),
    text: [
      oneLine(input.title),
      '',
      input.text,
      '',
      link ? `Open your notifications: ${link}` : `Open your notifications in ${oneLine(input.workspaceName)} on Accord.`,
      'You can turn these emails off on that page.',
      '',
    ].join('\n'),
  };
}

export interface OverdueDeliveryInput {
  to: string;
  repName: string;
  workspaceId: string;
  itemId: string;
  itemCode: string;
  reference: string;
  customer: string | null;
  quantity: number;
  deliveredQuantity: number;
  promisedDate: string;
  appUrl?: string;
}

/** "Overdue: <reference>": a commitment's promised date passed without its full delivery. */
export function overdueDeliveryMail(input: OverdueDeliveryInput): Mail {
  const reference = oneLine(input.reference).slice(0, 120);
  const customer = input.customer ? ` for ${oneLine(input.customer).slice(0, 120)}` : '';
  const link = appLink(input.appUrl, `/w/${encodeURIComponent(input.workspaceId)}/catalogue/${encodeURIComponent(input.itemId)}`);
  return {
    to: input.to,
    subject: subject(`Overdue since ${input.promisedDate}: ${reference} (${oneLine(input.itemCode)})`),
    text: [
      `Hello ${oneLine(input.repName)},`,
      '',
      `Your commitment ${reference}${customer} promised ${input.quantity} of ${oneLine(input.itemCode)} by ${input.promisedDate}.`,
      `${input.deliveredQuantity} ${input.deliveredQuantity === 1 ? 'was' : 'were'} delivered so far; it is overdue.`,
      '',
      link ? `See the commitment: ${link}` : 'See the commitment on the item page in Accord.',
      'You get this message once per commitment.',
      '',
    ].join('\n'),
  };
}
