import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { recordOutcome } from '#functions/meetings/service-outcomes';

export const handler = defineHandler(meetingRoutes.recordOutcome, async ({ params, body, caller, now }) =>
  recordOutcome(params.workspaceId, params.meetingId, body, caller, now),
);
