declare module 'virtual:accord-routes' {
  import type { HttpMethod, RouteName } from '../../functions/routes/index';
  export const apiPrefix: string;
  export const routeTable: Record<RouteName, { method: HttpMethod; path: string }>;
}
