import { Forbidden } from '../../lib/errors';
import { defineHandler } from '../../lib/http';
import { meetingRoutes } from '../../routes/meetings';
import { confirmDecisionSignOff } from '../../store/meeting-sign-offs';
import { signerOf } from '../../store/thresholds';

export const handler = defineHandler(meetingRoutes.confirmSignOff, async ({ params, member, caller, now }) => {
  if (!member) throw new Forbidden('Only members confirm sign-offs');
  return confirmDecisionSignOff(params, signerOf(member, caller), now);
});
