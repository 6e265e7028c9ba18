import { describe, expect, it } from 'vitest';
import { browserRoutes } from '#contract/browser-routes';
import { type AnyRoute, routes } from '#contract/index';
import { machineRouteNames } from '#contract/machine';
import { accessRefusal } from '#contract/workspaces/members';

const table = routes as Record<string, AnyRoute>;

describe('the route table in the browser', () => {
  it('carries every route’s method, path and access, and nothing of its schemas or handler', () => {
    const { routeTable } = browserRoutes(table);
    expect(Object.keys(routeTable).sort()).toEqual(Object.keys(routes).sort());
    for (const [name, route] of Object.entries(table)) {
      expect(routeTable[name], name).toEqual({ method: route.method, path: route.path, access: route.access });
    }
    // What the plugin writes into the bundle is plain JSON.
    expect(JSON.parse(JSON.stringify(routeTable))).toEqual(routeTable);
  });

  it('decides who sees the delivery and API key controls as the API does', () => {
    const { routeTable } = browserRoutes(table);
    const recordDelivery = routeTable.recordDelivery?.access;
    const importDeliveries = routeTable.importDeliveries?.access;
    const listApiKeys = routeTable.listApiKeys?.access;
    if (!recordDelivery || !importDeliveries || !listApiKeys) throw new Error('routes missing');
    for (const access of [recordDelivery, importDeliveries]) {
      expect(accessRefusal(access, { role: 'manager', function: 'operations' })).toBeNull();
      expect(accessRefusal(access, { role: 'admin', function: 'operations' })).toBeNull();
      expect(accessRefusal(access, { role: 'rep', function: 'operations' })).not.toBeNull();
      expect(accessRefusal(access, { role: 'manager', function: 'sales' })).not.toBeNull();
    }
    expect(accessRefusal(listApiKeys, { role: 'admin', function: 'management' })).toBeNull();
    expect(accessRefusal(listApiKeys, { role: 'manager', function: 'operations' })).not.toBeNull();
  });

  it('lists the routes an API key may name, with their summaries, as key creation accepts them', () => {
    const { machineRoutes } = browserRoutes(table);
    const names = machineRouteNames(table);
    expect(machineRoutes.map((route) => route.name)).toEqual(names);
    expect(names).toContain('promiseCheck');
    for (const route of machineRoutes) {
      expect(route.summary).toBe(table[route.name]?.summary);
      expect(route.summary.length).toBeGreaterThan(0);
    }
  });
});
