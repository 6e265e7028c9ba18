import type { RouteDefinition } from './define';
import { machineRouteNames } from './machine';
import type { Access } from './workspaces/members';

/** What the browser knows of one route: how to call it and who may, never its schemas or handler. */
export interface BrowserRoute {
  method: RouteDefinition['method'];
  path: string;
  access: Access;
}

type TableRoute = Pick<RouteDefinition, 'method' | 'path' | 'access' | 'machine' | 'machineActsAs' | 'summary'>;

/**
 * The route table as the web app receives it (web/vite-plugin-routes.ts):
 * each route's method, path and access, and the routes an API key may name
 * with their summaries, so the screens offer a control only to those the
 * route accepts and the key form lists what key creation accepts.
 */
export function browserRoutes(table: Record<string, TableRoute>) {
  const routeTable: Record<string, BrowserRoute> = Object.fromEntries(
    Object.entries(table).map(([name, route]) => [name, { method: route.method, path: route.path, access: route.access }]),
  );
  const machineRoutes = machineRouteNames(table).map((name) => ({
    name,
    summary: table[name]?.summary ?? '',
    actsAs: table[name]?.machineActsAs ?? null,
  }));
  return { routeTable, machineRoutes };
}
