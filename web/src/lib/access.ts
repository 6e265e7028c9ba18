import { routeTable } from 'virtual:accord-routes';
import type { RouteName } from '#contract/index';
import { accessRefusal, type Member } from '#contract/workspaces/members';

/**
 * Whether the member may call a route, by the rule the API applies to it: a
 * screen offers a control only to those the route would accept, so nobody
 * fills in a form only to be refused.
 */
export function may(route: RouteName, you: Pick<Member, 'role' | 'function'> | null | undefined): boolean {
  return you != null && accessRefusal(routeTable[route].access, you) === null;
}
