import { refuse } from '#contract/refusal';
import { thresholdRoutes } from '#contract/thresholds/routes';
import { defineHandler } from '#functions/kernel/http';
import { signerOf, signOffThreshold } from '#functions/thresholds/sign-off';

export const handler = defineHandler(thresholdRoutes.signOffThreshold, async ({ params, member, caller, now }) => {
  if (!member) throw refuse.forbidden('Only members sign off thresholds');
  return signOffThreshold(params, signerOf(member, caller), now);
});
