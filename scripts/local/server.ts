import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { defaultMaxBodyBytes, handlerFile } from '#contract/define';
import { type AnyRoute, apiPrefix, type RouteDefinition, routes } from '#contract/index';
import { apiKeyHeader, machinePath, machineRouteNames } from '#contract/machine';
import type { KeyContext } from '#functions/access/key-context';
import type { ApiEvent, ApiResult } from '#functions/kernel/http';
import { log } from '#functions/kernel/logger';
import { metered } from '#functions/table/request-meter';
import { BodyTooLarge, lambdaContext, readBody, send, tooLarge } from './http-kit';
import { type LocalAccounts, minPasswordLength } from './local-accounts';
import type { LocalAuth } from './local-auth';
import { outboxPage } from './outbox-page';
import { signInAttempts, withSetPasswordLink } from './sign-in-guard';

/**
 * The local stand-in for API Gateway: it matches each request against the
 * route table, verifies the bearer token as the JWT authorizer would, builds
 * the HTTP API payload v2 event and calls the same handler module Lambda runs.
 * It also serves the built web app and the local sign-in. The handlers write
 * the same request log and metric lines to stdout as on Lambda
 * (docs/operations.md); `ACCORD_LOG=silent` quiets them.
 */
export interface LocalServerOptions {
  auth: LocalAuth;
  /** Folder of the built web app; omitted in API-only tests. */
  webRoot?: string;
  /** Extra fields for `/config.json`, e.g. the demo people to sign in as. */
  webConfig?: Record<string, unknown>;
  /**
   * Local accounts, for a server other machines reach: sign-in then takes an
   * email and that person's password, never just an email, and an invitation
   * answers the inviting admin a one-time set-password link to hand over.
   */
  accounts?: LocalAccounts;
  /** The mail outbox folder (`MAIL_OUTBOX_DIR`): its messages are listed at `/local/outbox`, to this machine only. */
  outboxDir?: string;
  /** Calls each handler gets; lets tests observe traffic without touching the handlers. */
  onRequest?: (routeName: string, status: number) => void;
}

type LambdaHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

const functionsRoot = resolve(import.meta.dirname, '../../functions');

/** Largest body of the local sign-in forms. */
const maxFormBytes = 16 * 1024;

interface CompiledRoute {
  name: string;
  route: RouteDefinition;
  /** The path API Gateway routes by, below the API prefix: the route's own, or its machine twin's. */
  path: string;
  /** Whether this is a machine route, verified by API key instead of a person's token. */
  machine: boolean;
  pattern: RegExp;
  paramNames: string[];
}

function compileOne(name: string, route: RouteDefinition, machine: boolean): CompiledRoute {
  const path = machine ? machinePath(route) : route.path;
  const paramNames: string[] = [];
  const source = `${apiPrefix}${path}`.replace(/\{(\w+)\}/g, (_match, param: string) => {
    paramNames.push(param);
    return '([^/]+)';
  });
  return { name, route, path, machine, pattern: new RegExp(`^${source}$`), paramNames };
}

function compile(): CompiledRoute[] {
  const table = routes as Record<string, AnyRoute>;
  return [
    ...Object.entries(table).map(([name, route]) => compileOne(name, route, false)),
    ...machineRouteNames(table).flatMap((name) => {
      const route = table[name];
      return route ? [compileOne(name, route, true)] : [];
    }),
  ];
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** The same security headers CloudFront adds in production. */
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

const signInBody = z.strictObject({
  email: z.email().check(z.maxLength(254)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
});

const passwordSignInBody = z.strictObject({
  email: z.email().check(z.maxLength(254)),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
});

const setPasswordBody = z.strictObject({
  token: z.string().check(z.minLength(1), z.maxLength(200)),
  password: z
    .string()
    .check(z.minLength(minPasswordLength, `must be at least ${minPasswordLength} characters`), z.maxLength(1024)),
});

/** Creates the server; call `listen` on it. Handler modules load on first use and stay loaded, like a warm Lambda. */
export function createLocalServer(options: LocalServerOptions): Server {
  const compiled = compile();
  const loaded = new Map<string, Promise<LambdaHandler>>();
  const loadHandler = (module: string) => {
    let pending = loaded.get(module);
    if (!pending) {
      const url = pathToFileURL(join(functionsRoot, handlerFile(module))).href;
      pending = import(url).then((mod: { handler: LambdaHandler }) => mod.handler);
      loaded.set(module, pending);
    }
    return pending;
  };

  async function api(req: IncomingMessage, res: ServerResponse, url: URL) {
    const method = (req.method ?? 'GET').toUpperCase();
    const match = compiled
      .filter((candidate) => candidate.route.method === method)
      .map((candidate) => ({ candidate, found: candidate.pattern.exec(url.pathname) }))
      .find((entry) => entry.found);
    if (!match?.found) {
      send(res, 404, { error: 'NotFound', message: `No route ${method} ${url.pathname}` });
      return;
    }
    const { candidate, found } = match;

    let claims: Record<string, string> | undefined;
    let apiKey: KeyContext | undefined;
    if (candidate.machine) {
      // What the API key authorizer does on AWS (functions/integration/authorizer.ts), by the same code.
      const header = req.headers[apiKeyHeader];
      // Loaded on first use, like the handlers: its table client must see the environment the server runs in.
      const { verifyApiKey } = await import('#functions/integration/verify');
      apiKey = (await verifyApiKey(typeof header === 'string' ? header : undefined)) ?? undefined;
      if (!apiKey) {
        send(res, 401, {
          error: 'Unauthorized',
          message: header ? 'The API key is not valid or was revoked' : `Send an API key in the ${apiKeyHeader} header`,
        });
        return;
      }
    } else if (candidate.route.access.kind !== 'public') {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer (.+)$/i.exec(header)?.[1];
      claims = token ? ((await options.auth.verify(token)) ?? undefined) : undefined;
      if (!claims) {
        send(res, 401, { error: 'Unauthorized', message: token ? 'The token is not valid' : 'Sign in first: no bearer token' });
        return;
      }
    }

    let body: string;
    try {
      // The route's own limit, as the handler would apply it: nothing larger is ever held in memory.
      body = await readBody(req, candidate.route.maxBodyBytes ?? defaultMaxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        tooLarge(res, error);
        return;
      }
      throw error;
    }

    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const pathParameters: Record<string, string> = {};
    candidate.paramNames.forEach((param, index) => {
      pathParameters[param] = found[index + 1] ?? '';
    });
    const queryStringParameters: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      queryStringParameters[key] = queryStringParameters[key] === undefined ? value : `${queryStringParameters[key]},${value}`;
    }
    const routeKey = `${method} ${apiPrefix}${candidate.path}`;
    const now = new Date();
    const event: ApiEvent = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      queryStringParameters: url.search ? queryStringParameters : undefined,
      pathParameters: candidate.paramNames.length > 0 ? pathParameters : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        authorizer: apiKey
          ? { principalId: '', integrationLatency: 0, lambda: { ...apiKey } }
          : { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
      },
      body: body === '' ? undefined : body,
      isBase64Encoded: false,
    };
    const handler = await loadHandler(candidate.route.handler);
    const { result, commands, roundTrips } = await metered(() => handler(event, lambdaContext(candidate.name)));
    const status = result.statusCode ?? 200;
    if (options.accounts && candidate.name === 'inviteMember' && status === 201) {
      result.body = withSetPasswordLink(options.accounts, result.body ?? '{}', headers.host);
    }
    options.onRequest?.(candidate.name, status);
    // Local only: how many DynamoDB requests this call cost and which, for tests and benchmarks.
    res.writeHead(status, {
      ...(result.headers as Record<string, string>),
      'x-accord-db-requests': String(commands.length),
      // The first 100 names: a bulk call's full list would outgrow what an HTTP client accepts in its headers.
      'x-accord-db-commands': commands.slice(0, 100).join(',') + (commands.length > 100 ? ',...' : ''),
      'x-accord-db-round-trips': String(roundTrips),
    });
    res.end(result.body ?? '');
  }

  /** The form's fields, or undefined once an error has been answered. */
  async function form<T>(
    req: IncomingMessage,
    res: ServerResponse,
    schema: z.ZodMiniType<T>,
    hint: string,
  ): Promise<T | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(req, maxFormBytes));
    } catch (error) {
      if (error instanceof BodyTooLarge) tooLarge(res, error);
      else send(res, 400, { error: 'BadRequest', message: 'Malformed JSON body' });
      return undefined;
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const details = result.error.issues.map((issue) => ({ field: `body.${issue.path.join('.')}`, message: issue.message }));
      send(res, 400, { error: 'ValidationFailed', message: hint, details });
      return undefined;
    }
    return result.data;
  }

  async function local(req: IncomingMessage, res: ServerResponse, url: URL) {
    const { accounts } = options;
    if (url.pathname === '/local/sign-in' && req.method === 'POST') {
      if (accounts) {
        const body = await form(req, res, passwordSignInBody, 'Give your email and password');
        if (!body) return;
        const email = body.email.toLowerCase();
        const wait = attempts.waitSeconds(email);
        if (wait > 0) {
          send(
            res,
            429,
            { error: 'TooManyRequests', message: `Too many wrong passwords: try again in ${wait} s` },
            {
              'retry-after': String(wait),
            },
          );
          return;
        }
        const person = await accounts.check(email, body.password);
        if (!person) {
          attempts.failed(email);
          send(res, 401, { error: 'Unauthorized', message: 'Wrong email or password' });
          return;
        }
        attempts.succeeded(email);
        send(res, 200, { ...(await options.auth.signIn(person)), ...person });
        return;
      }
      const body = await form(req, res, signInBody, 'Give a name and a valid email');
      if (!body) return;
      send(res, 200, await options.auth.signIn({ email: body.email.toLowerCase(), name: body.name }));
      return;
    }
    if (url.pathname === '/local/set-password' && req.method === 'POST' && accounts) {
      const body = await form(req, res, setPasswordBody, 'Give the link’s token and a password');
      if (!body) return;
      const person = await accounts.setPassword(body.token, body.password);
      if (!person) {
        send(res, 410, { error: 'Gone', message: 'This link was used already or has expired: ask your admin for a new one' });
        return;
      }
      send(res, 200, { ...(await options.auth.signIn(person)), ...person });
      return;
    }
    if (options.outboxDir && url.pathname.startsWith('/local/outbox') && outboxPage(options.outboxDir, req, res, url.pathname)) {
      return;
    }
    send(res, 404, { error: 'NotFound', message: `No route ${req.method} ${url.pathname}` });
  }

  function staticFile(req: IncomingMessage, res: ServerResponse, url: URL) {
    const root = options.webRoot;
    if (!root || !existsSync(join(root, 'index.html'))) {
      send(res, 404, { error: 'NotFound', message: 'The web app is not built: run npm run build:web' });
      return;
    }
    let relative: string;
    try {
      relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    } catch {
      send(res, 400, { error: 'BadRequest', message: 'Malformed path' });
      return;
    }
    const candidate = resolve(root, relative);
    const inside = candidate.startsWith(resolve(root) + sep);
    const isFile = inside && existsSync(candidate) && statSync(candidate).isFile();
    // Screens are client-side routes: any path that is not a file gets the app shell.
    const file = isFile ? candidate : join(root, 'index.html');
    if (!isFile && extname(relative) !== '') {
      send(res, 404, { error: 'NotFound', message: `No file ${url.pathname}` });
      return;
    }
    const hashed = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...securityHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  }

  const attempts = signInAttempts();
  // With accounts nobody picks who they are, so there are no people to offer.
  const webConfig = options.accounts
    ? { apiBase: apiPrefix, auth: { mode: 'local', accounts: true } }
    : { apiBase: apiPrefix, auth: { mode: 'local' }, ...options.webConfig };

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const work =
      url.pathname === apiPrefix || url.pathname.startsWith(`${apiPrefix}/`)
        ? api(req, res, url)
        : url.pathname === '/config.json'
          ? Promise.resolve(send(res, 200, webConfig))
          : url.pathname.startsWith('/local/')
            ? local(req, res, url)
            : Promise.resolve(staticFile(req, res, url));
    work.catch((error: unknown) => {
      log.error('Local server error', error, { method: req.method, path: url.pathname });
      if (!res.headersSent) send(res, 500, { error: 'InternalError', message: 'The local server failed' });
      else res.end();
    });
  });
}
