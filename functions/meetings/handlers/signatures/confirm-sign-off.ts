import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { confirmDecisionSignOff } from '#functions/meetings/service-sign-offs';
import { signerOf } from '#functions/thresholds/thresholds';

export const handler = defineHandler(meetingRoutes.confirmSignOff, async ({ params, query, membership, caller, now }) =>
  confirmDecisionSignOff(
    params,
    membership.then((member) => signerOf(member, caller)),
    now,
    query,
  ),
);
