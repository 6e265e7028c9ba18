import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { signerOf, signOffThreshold } from '#functions/thresholds/sign-off';

export const handler = defineHandler(
  thresholdRoutes.signOffThreshold,
  async ({ params, member, caller, now }) => {
    return signOffThreshold(params, signerOf(member, caller), now);
  },
  { needsMember: true },
);
