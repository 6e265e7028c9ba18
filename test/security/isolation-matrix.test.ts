import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '#contract/index';
import { type MemberFunction, memberFunctions } from '#contract/workspaces/members';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { mayCall, pathOf, routeEntries, samplePathParams } from '#test/support/route-samples';

/**
 * Every route of the route table against every kind of caller. Requests carry
 * only path parameters (the real workspace id, random ids for the rest), so
 * the answer depends on who calls, not on what they send.
 */
let api: TestApi;
let admin: Person;
let outsider: Person;
let rep: Person;
const managers = new Map<MemberFunction, Person>();
let workspaceId: string;
let otherWorkspaceId: string;
const insideMarker = `ISOLATION-INSIDE-${randomUUID()}`;
const outsideMarker = `ISOLATION-OUTSIDE-${randomUUID()}`;
let forgedToken: string;
let expiredToken: string;
let selfSignedToken: string;
/** Tokens signed with the server's own key that Cognito and the JWT authorizer would never let through. */
const wellSignedRefused = new Map<string, string>();
let sameEmailOtherSubToken: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('matrix-admin');
  outsider = await api.person('matrix-outsider');
  const inside = await admin.call('createWorkspace', { body: { name: `Inside ${insideMarker}` } });
  workspaceId = inside.body.id;
  const outside = await outsider.call('createWorkspace', { body: { name: `Outside ${outsideMarker}` } });
  otherWorkspaceId = outside.body.id;
  for (const [who, ws, marker] of [
    [admin, workspaceId, insideMarker],
    [outsider, otherWorkspaceId, outsideMarker],
  ] as const) {
    const item = await who.call('createPortfolioItem', {
      params: { workspaceId: ws },
      body: {
        code: `M-${marker.slice(-8)}`,
        name: `Item ${marker}`,
        kind: 'product',
        unit: 'unit',
        description: marker,
      },
    });
    expect(item.status).toBe(201);
  }

  const repEmail = uniqueEmail('matrix-rep');
  expect(
    (await admin.call('inviteMember', { params: { workspaceId }, body: { email: repEmail, function: 'sales', role: 'rep' } }))
      .status,
  ).toBe(201);
  rep = await signInAs(api, repEmail);
  for (const memberFunction of memberFunctions) {
    const email = uniqueEmail(`matrix-${memberFunction}-manager`);
    const invited = await admin.call('inviteMember', {
      params: { workspaceId },
      body: { email, function: memberFunction, role: 'manager' },
    });
    expect(invited.status).toBe(201);
    managers.set(memberFunction, await signInAs(api, email));
  }

  const [header, payload, signature] = admin.token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  claims.email = outsider.email;
  forgedToken = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  expiredToken = (await api.auth.signIn({ email: admin.email, name: 'Admin' }, -60)).token;
  selfSignedToken = await new SignJWT({ email: admin.email, name: 'Admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(randomUUID())
    .setIssuer(api.auth.issuer)
    .setAudience(api.auth.audience)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('not-the-servers-key-not-the-servers-key'));

  const { exp: _exp, ...adminClaims } = claims;
  const inAnHour = Math.floor(Date.now() / 1000) + 3600;
  const variants: Record<string, Record<string, unknown>> = {
    'without exp': adminClaims,
    'an access token': { ...claims, token_use: 'access' },
    'an unverified email': { ...claims, email_verified: false },
    // Cognito signs a JSON boolean; a string in the token itself is not what it issues.
    'email_verified as a string': { ...claims, email_verified: 'true' },
    'another audience': { ...claims, aud: 'some-other-client' },
    'another issuer': { ...claims, iss: 'https://evil.example/idp' },
  };
  for (const [name, variant] of Object.entries(variants)) {
    wellSignedRefused.set(name, await api.auth.signClaims({ ...variant, exp: 'exp' in variant ? inAnHour : undefined }));
  }
  sameEmailOtherSubToken = await api.auth.signClaims({ ...claims, sub: randomUUID(), exp: inAnHour });
});
afterAll(async () => {
  await api.close();
});

type Expectation = 'unauthorized' | 'notFound' | 'forbidden' | 'allowed';

interface CallerCase {
  name: string;
  token: (route: AnyRoute) => string | undefined;
  /** What this caller must get from a route. */
  expect: (route: AnyRoute) => Expectation;
  /** Data this caller must never see. */
  mustNotSee: () => string[];
}

const accessKind = (route: AnyRoute) => (route.access as { kind: string }).kind;
const unauthenticated = (route: AnyRoute): Expectation => (accessKind(route) === 'public' ? 'allowed' : 'unauthorized');
const memberOfInside =
  (role: 'admin' | 'manager' | 'rep', memberFunction: (route: AnyRoute) => MemberFunction) =>
  (route: AnyRoute): Expectation =>
    accessKind(route) !== 'member' || mayCall(route, role, memberFunction(route)) ? 'allowed' : 'forbidden';

const routeFunctions = (route: AnyRoute) => (route.access as { functions?: readonly MemberFunction[] }).functions;
/** A function the route does not accept, or marketing when it accepts all. */
const wrongFunction = (route: AnyRoute): MemberFunction =>
  memberFunctions.find((f) => routeFunctions(route) && !routeFunctions(route)?.includes(f)) ?? 'marketing';
/** A function the route accepts. */
const rightFunction = (route: AnyRoute): MemberFunction => routeFunctions(route)?.[0] ?? 'sales';
const managerFor = (memberFunction: MemberFunction) => {
  const person = managers.get(memberFunction);
  if (!person) throw new Error(`no ${memberFunction} manager`);
  return person;
};

const callers: CallerCase[] = [
  { name: 'anonymous', token: () => undefined, expect: unauthenticated, mustNotSee: () => [insideMarker, outsideMarker] },
  { name: 'forged token', token: () => forgedToken, expect: unauthenticated, mustNotSee: () => [insideMarker, outsideMarker] },
  { name: 'self-signed token', token: () => selfSignedToken, expect: unauthenticated, mustNotSee: () => [insideMarker] },
  { name: 'expired token', token: () => expiredToken, expect: unauthenticated, mustNotSee: () => [insideMarker, outsideMarker] },
  ...[
    'without exp',
    'an access token',
    'an unverified email',
    'email_verified as a string',
    'another audience',
    'another issuer',
  ].map(
    (variant): CallerCase => ({
      name: `well-signed token with ${variant}`,
      token: () => wellSignedRefused.get(variant),
      expect: unauthenticated,
      mustNotSee: () => [insideMarker, outsideMarker],
    }),
  ),
  {
    name: 'the admin email under another identity (sub)',
    token: () => sameEmailOtherSubToken,
    expect: (route) => (accessKind(route) === 'member' ? 'notFound' : 'allowed'),
    mustNotSee: () => [insideMarker],
  },
  {
    name: 'member of another workspace',
    token: () => outsider.token,
    expect: (route) => (accessKind(route) === 'member' ? 'notFound' : 'allowed'),
    mustNotSee: () => [insideMarker],
  },
  {
    name: 'rep',
    token: () => rep.token,
    expect: memberOfInside('rep', () => 'sales'),
    mustNotSee: () => [outsideMarker, otherWorkspaceId],
  },
  {
    name: 'manager of the wrong function',
    token: (route) => managerFor(wrongFunction(route)).token,
    expect: memberOfInside('manager', wrongFunction),
    mustNotSee: () => [outsideMarker, otherWorkspaceId],
  },
  {
    name: 'manager',
    token: (route) => managerFor(rightFunction(route)).token,
    expect: memberOfInside('manager', rightFunction),
    mustNotSee: () => [outsideMarker, otherWorkspaceId],
  },
  {
    name: 'admin',
    token: () => admin.token,
    expect: memberOfInside('admin', () => 'management'),
    mustNotSee: () => [outsideMarker, otherWorkspaceId],
  },
];

describe('the isolation matrix', () => {
  it('answers every route × caller as its access rule says, and never leaks another workspace', async () => {
    const failures: string[] = [];
    const tally: Record<Expectation, number> = { unauthorized: 0, notFound: 0, forbidden: 0, allowed: 0 };
    let leaks = 0;
    // Callers run in the order above: the admin, whose calls may change data, goes last.
    for (const caller of callers) {
      for (const [name, route] of routeEntries) {
        const path = pathOf(route, samplePathParams(route, workspaceId));
        const token = caller.token(route);
        const response = await api.raw(route.method, path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        const expected = caller.expect(route);
        tally[expected]++;
        const where = `${caller.name} → ${name} (${route.method} ${path}) got ${response.status}`;
        const ok =
          expected === 'unauthorized'
            ? response.status === 401
            : expected === 'notFound'
              ? response.status === 404
              : expected === 'forbidden'
                ? response.status === 403
                : response.status !== 401 && response.status !== 403 && response.status < 500;
        if (!ok) failures.push(`${where}, expected ${expected}`);
        if (expected !== 'allowed' && response.status >= 200 && response.status < 300)
          failures.push(`${where}: 2xx to a refused caller`);
        const text = JSON.stringify(response.body ?? '');
        for (const secret of caller.mustNotSee()) {
          if (text.includes(secret)) {
            leaks++;
            failures.push(`${where}: leaked ${secret}`);
          }
        }
        if (response.status >= 400)
          expect(response.body, where).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
    }
    console.log(
      `isolation matrix: ${routeEntries.length} routes × ${callers.length} callers = ${routeEntries.length * callers.length} requests; ` +
        `expected unauthorized ${tally.unauthorized}, notFound ${tally.notFound}, forbidden ${tally.forbidden}, allowed ${tally.allowed}; leaks ${leaks}`,
    );
    expect(failures).toEqual([]);
    expect(leaks).toBe(0);
  });

  it('answers a refused caller the same whatever the body or query, so input problems reveal nothing', async () => {
    const checked: string[] = [];
    for (const [name, route] of routeEntries) {
      if (accessKind(route) !== 'member') continue;
      const path = `${pathOf(route, samplePathParams(route, workspaceId))}?unknown=%00&limit=-1`;
      const headers = { authorization: `Bearer ${outsider.token}`, 'content-type': 'application/json' };
      const body = route.method === 'GET' ? undefined : '{"__proto__": {"admin": true}, "x": ';
      const response = await api.raw(route.method, path, { headers, body });
      expect(response.status, name).toBe(404);
      expect(response.body, name).toEqual({ error: 'NotFound', message: 'Workspace not found' });
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThan(0);
  });

  it('lets the members of the inside workspace read their own data', async () => {
    const items = await rep.call('listPortfolioItems', { params: { workspaceId } });
    expect(items.status).toBe(200);
    expect(JSON.stringify(items.body)).toContain(insideMarker);
    expect(JSON.stringify(items.body)).not.toContain(outsideMarker);
  });
});
