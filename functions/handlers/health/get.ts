import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';

export const handler = defineHandler(workspaceRoutes.health, async () => ({ status: 'ok' as const }));
