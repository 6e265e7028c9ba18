import type { Caller, MemberView } from '#contract/views';
import { type MailResult, sendMail } from '#functions/mail/mailer';
import { invitationMail } from '#functions/mail/messages';
import { optionalEnv } from '#functions/runtime/env';

/**
 * Tells an invited person where they were invited and by whom. The
 * invitation is already stored: a message that cannot be sent is logged and
 * the invitation stands (the person still finds the workspace when they sign in).
 * The workspace's name is the one the invitation was stored with, so the mail
 * costs no read.
 */
export async function mailInvitation(
  member: MemberView,
  workspaceName: string,
  invitedBy: Caller,
): Promise<MailResult | undefined> {
  try {
    return await sendMail(
      invitationMail({
        to: member.email,
        workspaceId: member.workspaceId,
        workspaceName,
        invitedBy,
        appUrl: optionalEnv('APP_URL'),
      }),
    );
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'Invitation mail not sent', error: String(error) }));
    return undefined;
  }
}
