import { meetingRoutes } from '#contract/meetings/routes';
import { Forbidden } from '#functions/kernel/errors';
import { defineHandler } from '#functions/kernel/http';
import { confirmDecisionSignOff } from '#functions/meetings/meeting-sign-offs';
import { signerOf } from '#functions/thresholds/thresholds';

export const handler = defineHandler(meetingRoutes.confirmSignOff, async ({ params, member, caller, now }) => {
  if (!member) throw new Forbidden('Only members confirm sign-offs');
  return confirmDecisionSignOff(params, signerOf(member, caller), now);
});
