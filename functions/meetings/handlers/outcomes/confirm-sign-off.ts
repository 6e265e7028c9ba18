import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { confirmDecisionSignOff } from '#functions/meetings/service-sign-offs';
import { signerOf } from '#functions/thresholds/thresholds';

export const handler = defineHandler(
  meetingRoutes.confirmSignOff,
  async ({ params, member, caller, now }) => {
    return confirmDecisionSignOff(params, signerOf(member, caller), now);
  },
  { needsMember: true },
);
