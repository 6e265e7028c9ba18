import { catalogueRoutes } from '#contract/catalogue/routes';
import { deliveryRoutes } from '#contract/catalogue/routes-delivery';

/**
 * The route-table modules that hold every route flagged `machine`. Key checks
 * import these instead of the whole table (`#contract/index`), which would
 * bring every area's schemas into the API key functions' bundles; a test
 * (test/unit/route-table.test.ts) holds this to the whole table.
 */
export const machineRouteSources = { ...catalogueRoutes, ...deliveryRoutes };
