import type { Caller, MemberView } from '#contract/views';
import { optionalEnv } from '#functions/kernel/env';
import { getWorkspace } from '#functions/workspaces/workspaces';
import { type MailResult, sendMail } from './mailer';
import { invitationMail } from './messages';

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
