import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { changeMeetingState } from '#functions/meetings/service-lifecycle';

export const handler = defineHandler(
  meetingRoutes.changeMeetingState,
  async ({ params, body, caller, member, now }) =>
    changeMeetingState(
      params.workspaceId,
      params.meetingId,
      body.to,
      body.expectedVersion,
      { ...caller, role: member.role },
      now,
    ),
  { needsMember: true },
);
