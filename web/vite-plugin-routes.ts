import type { Plugin } from 'vite';
import { browserRoutes } from '#contract/browser-routes';
import { apiPrefix, routes } from '#contract/index';

const virtualId = 'virtual:accord-routes';
const resolvedId = `\0${virtualId}`;

/**
 * Gives the web app the route table's methods, paths and who may call each
 * (not its schemas or handlers), so the typed client and the controls a
 * screen offers follow the same table as the server and the CDK stack,
 * without shipping zod to the browser; and the routes an API key may name.
 */
export function accordRoutes(): Plugin {
  return {
    name: 'accord-routes',
    resolveId: (id) => (id === virtualId ? resolvedId : undefined),
    load(id) {
      if (id !== resolvedId) return undefined;
      const { routeTable, machineRoutes } = browserRoutes(routes);
      return [
        `export const apiPrefix = ${JSON.stringify(apiPrefix)};`,
        `export const routeTable = ${JSON.stringify(routeTable)};`,
        `export const machineRoutes = ${JSON.stringify(machineRoutes)};`,
        '',
      ].join('\n');
    },
  };
}
