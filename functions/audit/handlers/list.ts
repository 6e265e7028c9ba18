import { auditRoutes } from '#contract/audit/routes';
import { listAuditEvents } from '#functions/audit/audit';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(auditRoutes.listAuditEvents, async ({ params, query }) => {
  const page = await listAuditEvents(params.workspaceId, query);
  return { events: page.items, nextCursor: page.nextCursor };
});
