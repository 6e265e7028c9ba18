import { auditRoutes } from '#contract/audit/routes';
import { backupRoutes } from '#contract/backup/routes';
import { catalogueRoutes } from '#contract/catalogue/routes';
import { acrossRoutes } from '#contract/catalogue/routes-across';
import { deliveryRoutes } from '#contract/catalogue/routes-delivery';
import { integrationRoutes } from '#contract/integration/routes';
import { meetingRoutes } from '#contract/meetings/routes';
import { misalignmentRoutes } from '#contract/misalignment/routes';
import { notificationRoutes } from '#contract/notifications/routes';
import { planRoutes } from '#contract/plan/routes';
import { portfolioRoutes } from '#contract/portfolio/routes';
import { thresholdRoutes } from '#contract/thresholds/routes';
import { workspaceRoutes } from '#contract/workspaces/routes';
import type { RouteDefinition } from './define';

export { apiPrefix, type HttpMethod, type RouteDefinition } from './define';

/**
 * The route table: every API route, declared once. The local server registers
 * these, the CDK stack builds one Lambda function and one API route from each,
 * and the web app's typed client is generated from them. Route names are
 * unique across areas.
 */
export const routes = {
  ...workspaceRoutes,
  ...portfolioRoutes,
  ...auditRoutes,
  ...backupRoutes,
  ...thresholdRoutes,
  ...catalogueRoutes,
  ...acrossRoutes,
  ...deliveryRoutes,
  ...misalignmentRoutes,
  ...meetingRoutes,
  ...notificationRoutes,
  ...integrationRoutes,
  ...planRoutes,
};

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type AnyRoute = Routes[RouteName];

// Checked here rather than with `satisfies` on each area: a contextual type on
// the area objects would widen every route's unused schemas from `never`.
routes satisfies Record<string, RouteDefinition>;
