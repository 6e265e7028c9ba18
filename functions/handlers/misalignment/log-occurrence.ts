import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { logOccurrence } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.logOccurrence, async ({ params, body, caller, now }) =>
  logOccurrence(params.workspaceId, params.issueId, body, caller, now),
);
