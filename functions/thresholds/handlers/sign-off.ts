import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { signerOf, signOffThreshold } from '#functions/thresholds/sign-off';

// The signer comes from the membership check, which the use case awaits beside its read of the threshold.
export const handler = defineHandler(thresholdRoutes.signOffThreshold, async ({ params, membership, caller, now }) =>
  signOffThreshold(
    params,
    membership.then((member) => signerOf(member, caller)),
    now,
  ),
);
