import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { exportMinutes } from '#functions/meetings/service-minutes';

export const handler = defineHandler(meetingRoutes.exportMinutes, async ({ params }) =>
  exportMinutes(params.workspaceId, params.meetingId),
);
