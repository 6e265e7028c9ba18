import type { MemberFunction, MemberRole } from '#contract/workspaces/members';
import { apiPrefix, type RouteDefinition } from './define';

/**
 * Machine callers (a CRM, an ERP) reach the routes flagged `machine` under
 * this prefix, below `/api`, with a workspace API key instead of a person's
 * token. The route table stays the one source: each flagged route is served
 * twice, once for people and once here for keys, by the same handler
 * (docs/decisions/0006-api-keys.md).
 */
export const machinePrefix = '/machine';

/** The header that carries a workspace API key. */
export const apiKeyHeader = 'x-api-key';

/** The role a key acts with: a key never reaches a manager's or an admin's route. */
export const machineRole: MemberRole = 'rep';

/** A route's machine path, below the API prefix. */
export const machinePath = (route: Pick<RouteDefinition, 'path'>) => `${machinePrefix}${route.path}`;

/** Whether an API Gateway route key (`GET /api/machine/…`) is a machine route's. */
export function isMachineRouteKey(routeKey: string | undefined): boolean {
  const path = routeKey?.split(' ')[1];
  return path?.startsWith(`${apiPrefix}${machinePrefix}/`) ?? false;
}

/** How a key's scope names a route to the kernel: its method and path, as the route table declares them. */
export const scopeEntry = (route: Pick<RouteDefinition, 'method' | 'path'>) => `${route.method} ${route.path}`;

type Flagged = Pick<RouteDefinition, 'machine' | 'machineActsAs' | 'access' | 'path'>;

/** Who a key is on a route: a rep in sales, or an operations manager on a route flagged to act as one. */
export function machineActorOn(route: Pick<RouteDefinition, 'machineActsAs'>): { role: MemberRole; function: MemberFunction } {
  return route.machineActsAs === 'operations manager'
    ? { role: 'manager', function: 'operations' }
    : { role: machineRole, function: 'sales' };
}

/**
 * Why a route may not be flagged `machine`, or null: only workspace routes
 * the key's stand-in may call, a rep-level member of one workspace, or on a
 * route flagged `machineActsAs`, an operations manager.
 */
export function machineRouteProblem(route: Flagged): string | null {
  const access = route.access;
  if (access.kind !== 'member') return 'it is not a workspace route';
  const actor = machineActorOn(route);
  if (access.roles && !access.roles.includes(actor.role)) return `it needs the role ${access.roles.join(' or ')}`;
  if (access.functions && !access.functions.includes(actor.function)) {
    return `it needs the function ${access.functions.join(' or ')}`;
  }
  if (!route.path.startsWith('/workspaces/{workspaceId}')) return 'its path does not name the workspace';
  return null;
}

/** The names of the routes a key may be given, in route table order. */
export function machineRouteNames(table: Record<string, Flagged>): string[] {
  return Object.entries(table)
    .filter(([, route]) => route.machine === true && machineRouteProblem(route) === null)
    .map(([name]) => name);
}
