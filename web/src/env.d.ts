declare module 'virtual:accord-routes' {
  import type { HttpMethod, RouteName } from '#contract/index';
  import type { Access } from '#contract/workspaces/members';
  export const apiPrefix: string;
  export const routeTable: Record<RouteName, { method: HttpMethod; path: string; access: Access }>;
  /** The routes an API key may name (flagged `machine`), in route table order, with what each does. */
  export const machineRoutes: Array<{ name: RouteName; summary: string; actsAs: string | null }>;
}
