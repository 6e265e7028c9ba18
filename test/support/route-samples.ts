import { randomUUID } from 'node:crypto';
import { type AnyRoute, apiPrefix, type RouteName, routes } from '#contract/index';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';

/** Every route of the route table with its name: suites iterate this, so routes added later are covered without edits. */
export const routeEntries = Object.entries(routes) as Array<[RouteName, AnyRoute]>;

/** Values tried for a path parameter other than the workspace id, in order, until the route's schema accepts one. */
const candidates = () => [
  randomUUID(),
  `nobody.${randomUUID().slice(0, 8)}@test.example`,
  `X-${randomUUID().slice(0, 8).toUpperCase()}`,
  '2026-01-01',
  '1',
];

/**
 * Path parameters for a route: the given workspace id, and for every other
 * parameter a fresh value its schema accepts (a random UUID for ids), so the
 * request names nothing that exists unless the caller passes it in `known`.
 */
export function samplePathParams(route: AnyRoute, workspaceId: string, known: Record<string, string> = {}) {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const values: Record<string, string> = {};
  const tried: Record<string, number> = {};
  for (const name of names) {
    values[name] = name === 'workspaceId' ? workspaceId : (known[name] ?? candidates()[0] ?? '');
    tried[name] = 0;
  }
  const schema = route.params as {
    safeParse?: (value: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } };
  };
  for (let round = 0; round < 6 && schema?.safeParse; round++) {
    const result = schema.safeParse(values);
    if (result.success) break;
    const failing = new Set((result.error?.issues ?? []).map((issue) => String(issue.path[0])));
    for (const name of failing) {
      if (name === 'workspaceId' || known[name] !== undefined || !(name in values)) continue;
      tried[name] = (tried[name] ?? 0) + 1;
      values[name] = candidates()[tried[name] ?? 0] ?? values[name] ?? '';
    }
  }
  return values;
}

/** The URL path of a route with its parameters filled in, URL-encoded as the web client sends them. */
export function pathOf(route: AnyRoute, params: Record<string, string>): string {
  return `${apiPrefix}${route.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''))}`;
}

/** Whether a member with this role and function may call the route, read from its `access` in the route table. */
export function mayCall(route: AnyRoute, role: MemberRole, memberFunction: MemberFunction): boolean {
  const access = route.access as { kind: string; roles?: readonly MemberRole[]; functions?: readonly MemberFunction[] };
  if (access.kind !== 'member') return true;
  return (!access.roles || access.roles.includes(role)) && (!access.functions || access.functions.includes(memberFunction));
}
