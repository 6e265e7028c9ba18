import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerFile } from '#contract/define';
import { type AnyRoute, routes } from '#contract/index';
import { machineRouteNames } from '#contract/machine';
import { machineRouteSources } from '#contract/machine-routes';

const entries = Object.entries(routes as Record<string, AnyRoute>);

describe('the route table', () => {
  it('finds every machine route in the modules API key checks read', () => {
    const all = machineRouteNames(routes as Record<string, AnyRoute>);
    expect(all.length).toBeGreaterThan(0);
    expect(machineRouteNames(machineRouteSources as Record<string, AnyRoute>)).toEqual(all);
  });

  it('names a handler module for every route, and that module serves exactly that route', async () => {
    for (const [name, route] of entries) {
      const file = resolve(import.meta.dirname, '../../functions', handlerFile(route.handler));
      expect(existsSync(file), `${name}: ${file}`).toBe(true);
      const module = (await import(file)) as { handler?: { route?: unknown } };
      expect(module.handler?.route, name).toBe(route);
    }
  });

  it('declares every route once: no two share a method and path, or a handler', () => {
    const keys = entries.map(([, route]) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const handlers = entries.map(([, route]) => route.handler);
    expect(new Set(handlers).size).toBe(handlers.length);
  });

  it('puts every workspace route under its workspace id, where membership is checked', () => {
    for (const [name, route] of entries) {
      if (route.access.kind === 'member') {
        expect(route.path, name).toMatch(/^\/workspaces\/\{workspaceId\}/);
        expect(route.params, name).toBeDefined();
      }
    }
  });

  it('keeps GET routes free of bodies and writes', () => {
    for (const [name, route] of entries) {
      if (route.method === 'GET') expect(route.body, name).toBeUndefined();
      if (route.method === 'GET') expect(route.writes, name).toBe(false);
    }
  });
});
