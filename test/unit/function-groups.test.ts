import { describe, expect, it } from 'vitest';
import { groupRoutes, type RouteTable } from '#infra/function-groups';

const route = (handler: string, writes: boolean, isPublic = false): RouteTable[string] => ({
  method: writes ? 'POST' : 'GET',
  path: `/${handler}`,
  handler,
  summary: handler,
  access: isPublic ? { kind: 'public' } : { kind: 'signedIn' },
  writes,
});

describe('groupRoutes', () => {
  it('puts an area’s reads and writes in separate functions, and public routes apart', () => {
    const groups = groupRoutes({
      list: route('items/list', false),
      get: route('items/get', false),
      create: route('items/create', true),
      open: route('items/open', false, true),
    });
    expect(groups.map((g) => [g.name, g.id, g.access, g.public, g.routes.map((r) => r.name)])).toEqual([
      ['items-public-read', 'ItemsPublicRead', 'read', true, ['open']],
      ['items-read', 'ItemsRead', 'read', false, ['list', 'get']],
      ['items-write', 'ItemsWrite', 'readWrite', false, ['create']],
    ]);
    expect(groups[1]?.routes.map((r) => r.routeKey)).toEqual(['GET /api/items/list', 'GET /api/items/get']);
  });

  it('keys on the area alone: handlers in a sub-folder share their area’s functions', () => {
    const groups = groupRoutes({
      record: route('items/outcomes/record', true),
      create: route('items/create', true),
      read: route('items/outcomes/read', false),
    });
    expect(groups.map((g) => [g.name, g.routes.map((r) => r.name)])).toEqual([
      ['items-read', ['read']],
      ['items-write', ['record', 'create']],
    ]);
  });
});
