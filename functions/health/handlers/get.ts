import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(workspaceRoutes.health, async () => ({ status: 'ok' as const }));
