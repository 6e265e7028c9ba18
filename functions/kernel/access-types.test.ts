import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { catalogueRoutes } from '#contract/catalogue/routes';
import { admin, manager, member, returns, route } from '#contract/define';
import { type RouteName, type Routes, routes } from '#contract/index';
import type { thresholdRoutes } from '#contract/thresholds/routes';
import type { MemberView } from '#contract/views';
import type { Access } from '#contract/workspaces/members';
import { workspaceRoutes } from '#contract/workspaces/routes';
import type { HandlerInput } from './http';

/** Access rules keep their literal type through route(), so a member route's handler never checks for a missing member. */
describe('access typed literally', () => {
  it('gives a member route a member that is always set when its handler needs it, and none when it runs beside the check', () => {
    expectTypeOf<HandlerInput<typeof catalogueRoutes.recordCommitment, true>['member']>().toEqualTypeOf<MemberView>();
    expectTypeOf<HandlerInput<typeof catalogueRoutes.recordCommitment>['member']>().toEqualTypeOf<undefined>();
    expectTypeOf<HandlerInput<typeof catalogueRoutes.promiseCheck>['member']>().toEqualTypeOf<undefined>();
    // The check itself, to await after the route's own read, on every member route.
    expectTypeOf<HandlerInput<typeof catalogueRoutes.cancelCommitment>['membership']>().toEqualTypeOf<Promise<MemberView>>();
    // Roles and functions declared inline keep the literal too.
    expectTypeOf<HandlerInput<typeof thresholdRoutes.signOffThreshold, true>['member']>().toEqualTypeOf<MemberView>();
    const adminOnly = route({
      method: 'GET',
      path: '/x/{workspaceId}',
      handler: 'x/y',
      summary: '',
      access: admin,
      writes: true,
      response: returns<null>(),
    });
    const managers = route({
      method: 'GET',
      path: '/x/{workspaceId}',
      handler: 'x/y',
      summary: '',
      access: manager,
      writes: true,
      response: returns<null>(),
    });
    expectTypeOf<HandlerInput<typeof adminOnly, true>['member']>().toEqualTypeOf<MemberView>();
    expectTypeOf<HandlerInput<typeof managers, true>['member']>().toEqualTypeOf<MemberView>();
    expectTypeOf(member).toEqualTypeOf<{ readonly kind: 'member' }>();
  });

  it('leaves the member possibly unset on routes outside a workspace', () => {
    const signedIn = route({
      method: 'GET',
      path: '/me',
      handler: 'x/me',
      summary: '',
      access: { kind: 'signedIn' },
      writes: false,
      response: returns<null>(),
    });
    expectTypeOf<HandlerInput<typeof signedIn>['member']>().toEqualTypeOf<MemberView | undefined>();
    expectTypeOf(signedIn.access.kind).toEqualTypeOf<'signedIn'>();
  });

  it('keeps the literal rule on every route of the table, and member routes name their workspace', () => {
    // A route whose access were the wide `Access` would give its handler a member that may be undefined.
    type Widened = { [K in RouteName]: Access extends Routes[K]['access'] ? K : never }[RouteName];
    expectTypeOf<Widened>().toEqualTypeOf<never>();
    const memberRoutes = Object.values(routes).filter((definition) => definition.access.kind === 'member');
    expect(memberRoutes.length).toBeGreaterThan(40);
    for (const definition of memberRoutes) expect(definition.path).toMatch(/^\/workspaces\/\{workspaceId\}/);
    expect(workspaceRoutes.getWorkspace.access).toEqual({ kind: 'member' });
  });
});

describe('request state', () => {
  const kernel = import.meta.dirname;
  it('lives on each request, never in a module-level WeakMap or Map keyed by the event', () => {
    const files = readdirSync(kernel).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(files).toContain('http.ts');
    for (const file of files) {
      const source = readFileSync(join(kernel, file), 'utf8');
      expect(source, file).not.toMatch(/new WeakMap\b/);
      expect(source, file).not.toMatch(/new Map<ApiEvent\b/);
    }
  });

  it('keeps each kernel file small', () => {
    for (const file of readdirSync(kernel).filter((name) => name.endsWith('.ts'))) {
      expect(readFileSync(join(kernel, file), 'utf8').split('\n').length, file).toBeLessThan(200);
    }
  });
});
