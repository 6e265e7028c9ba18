import type { Caller, MemberView } from '#contract/views';
import { type MailResult, sendMail } from '#functions/mail/mailer';
import { invitationMail } from '#functions/mail/messages';
import { optionalEnv } from '#functions/runtime/env';
import { getWorkspace } from './entities';

/**
 * Tells an invited person where they were invited and by whom. The
 * invitation is already stored: a message that cannot be sent is logged and
 * the invitation stands (the person still finds the workspace when they sign in).
 */
export async function mailInvitation(member: MemberView, invitedBy: Caller): Promise<MailResult | undefined> {
  try {
    const workspace = await getWorkspace(member.workspaceId);
    return await sendMail(
      invitationMail({
        to: member.email,
        workspaceId: member.workspaceId,
        workspaceName: workspace?.name ?? member.workspaceId,
        invitedBy,
        appUrl: optionalEnv('APP_URL'),
      }),
    );
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'Invitation mail not sent', error: String(error) }));
    return undefined;
  }
}
