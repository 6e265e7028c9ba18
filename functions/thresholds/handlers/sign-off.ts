import { thresholdRoutes } from '#contract/thresholds/routes';
import { Forbidden } from '#functions/kernel/errors';
import { defineHandler } from '#functions/kernel/http';
import { signerOf, signOffThreshold } from '#functions/thresholds/thresholds';

export const handler = defineHandler(thresholdRoutes.signOffThreshold, async ({ params, member, caller, now }) => {
  if (!member) throw new Forbidden('Only members sign off thresholds');
  return signOffThreshold(params, signerOf(member, caller), now);
});
