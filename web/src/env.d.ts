declare module 'virtual:accord-routes' {
  import type { HttpMethod, RouteName } from '#contract/index';
  export const apiPrefix: string;
  export const routeTable: Record<RouteName, { method: HttpMethod; path: string }>;
}
