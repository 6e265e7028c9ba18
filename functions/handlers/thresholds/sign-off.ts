import { Forbidden } from '../../lib/errors';
import { defineHandler } from '../../lib/http';
import { thresholdRoutes } from '../../routes/thresholds';
import { signerOf, signOffThreshold } from '../../store/thresholds';

export const handler = defineHandler(thresholdRoutes.signOffThreshold, async ({ params, member, caller, now }) => {
  if (!member) throw new Forbidden('Only members sign off thresholds');
  return signOffThreshold(params, signerOf(member, caller), now);
});
