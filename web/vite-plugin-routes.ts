import type { Plugin } from 'vite';
import { apiPrefix, routes } from '#contract/index';

const virtualId = 'virtual:accord-routes';
const resolvedId = `\0${virtualId}`;

/**
 * Gives the web app the route table's methods and paths (not its schemas or
 * handlers), so the typed client is built from the same table as the server
 * and the CDK stack without shipping zod to the browser.
 */
export function accordRoutes(): Plugin {
  return {
    name: 'accord-routes',
    resolveId: (id) => (id === virtualId ? resolvedId : undefined),
    load(id) {
      if (id !== resolvedId) return undefined;
      const table = Object.fromEntries(
        Object.entries(routes).map(([name, route]) => [name, { method: route.method, path: route.path }]),
      );
      return `export const apiPrefix = ${JSON.stringify(apiPrefix)};\nexport const routeTable = ${JSON.stringify(table)};\n`;
    },
  };
}
