import { defineHandler } from '../../lib/http';
import { auditRoutes } from '../../routes/audit';
import { listAuditEvents } from '../../store/audit';

export const handler = defineHandler(auditRoutes.listAuditEvents, async ({ params, query }) => {
  const page = await listAuditEvents(params.workspaceId, query);
  return { events: page.items, nextCursor: page.nextCursor };
});
