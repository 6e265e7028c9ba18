import { spawn } from 'node:child_process';
import { type AnyRoute, apiPrefix, type RouteName, routes } from '#contract/index';
import type { LocalAuth } from '#scripts/local/local-auth';
import type { Bundle } from './bundles';
import type { Figure } from './report';
import type { MeasuredCall } from './requests';

/**
 * The child process of one cold start: Node starts, imports the bundle, and
 * the handler serves one event. It prints how long after the process began
 * the answer was ready (`performance.now()` counts from process start), so
 * Node's own boot is in both the figure and its baseline.
 */
const childScript = `
const [file] = process.argv.slice(1);
// The event comes on stdin: a restore's body is larger than one command-line argument may be.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const eventJson = Buffer.concat(chunks).toString('utf8');
const { handler } = await import(file);
const context = { getRemainingTimeInMillis: () => 10000, awsRequestId: 'cold', functionName: 'bench' };
const answer = await handler(JSON.parse(eventJson), context);
process.stdout.write(JSON.stringify({ ms: performance.now(), status: answer.statusCode ?? 200 }));
`;

function coldStart(file: string, event: unknown): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, file], {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(JSON.stringify(event));
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      err += String(chunk);
    });
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(out.slice(out.lastIndexOf('\n') + 1))); // after the handler's own log lines, if any
      } catch {
        reject(new Error(`cold start of ${file} failed: ${err.slice(0, 400)}`));
      }
    });
  });
}

/** The API Gateway (HTTP API, payload v2) event for a measured call, as the local server builds it. */
async function eventOf(call: MeasuredCall, auth: LocalAuth) {
  const route = (routes as Record<string, AnyRoute>)[call.route] as AnyRoute;
  const url = new URL(`http://localhost${apiPrefix}${call.path}`);
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const pattern = new RegExp(`^${apiPrefix}${route.path.replace(/\{(\w+)\}/g, '([^/]+)')}$`);
  const found = pattern.exec(url.pathname);
  const pathParameters = Object.fromEntries(names.map((name, index) => [name, found?.[index + 1] ?? '']));
  const claims = route.access.kind === 'public' ? {} : ((await auth.verify(call.token)) ?? {});
  const routeKey = `${call.method} ${apiPrefix}${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: { 'content-type': 'application/json', host: 'localhost' },
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: names.length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'bench',
      http: { method: call.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'cold',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    isBase64Encoded: false,
  };
}

/**
 * The fastest of the rounds: on a shared machine other work only ever adds
 * time, so the minimum is the best estimate of the start-up cost itself.
 */
const fastest = (values: number[]) => Math.min(...values);

/**
 * Section 3: each function bundle started cold in a fresh Node process,
 * serving a read route of its group (the first one measured in section 1, a
 * write only when the group has no read), against the bare GetItem baseline.
 * Runs alternate function and baseline so load on the machine hits both alike.
 */
export async function measureColdInit(
  bundles: Bundle[],
  baseline: Bundle,
  calls: MeasuredCall[],
  auth: LocalAuth,
  groupsOfRoute: Map<string, string>,
  rounds: number,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const baselineEvent = { routeKey: 'GET /bench' };
  await coldStart(baseline.file, baselineEvent);
  for (const bundle of bundles) {
    const ofGroup = calls.filter((call) => groupsOfRoute.get(call.route) === bundle.name);
    const call = ofGroup.find((c) => c.method === 'GET') ?? ofGroup[0];
    if (!call) {
      figures.push({
        section: 'cold init',
        name: bundle.name,
        value: Number.NaN,
        unit: '×',
        target: { op: '<=', limit: 1.5 },
        note: 'no measured call for this function',
      });
      continue;
    }
    const event = await eventOf(call, auth);
    // One start first, not counted: the bundle's file comes into the page
    // cache as it would on a warm host, so the first function measured is
    // not the only one read from disk.
    await coldStart(bundle.file, event);
    const own: number[] = [];
    const base: number[] = [];
    let status = 0;
    for (let round = 0; round < rounds; round++) {
      const roundEvent = call.bodyOfRound ? await eventOf({ ...call, body: await call.bodyOfRound(round) }, auth) : event;
      const cold = await coldStart(bundle.file, roundEvent);
      status = cold.status;
      own.push(cold.ms);
      base.push((await coldStart(baseline.file, baselineEvent)).ms);
    }
    const ownMs = fastest(own);
    const baseMs = fastest(base);
    figures.push({
      section: 'cold init',
      name: `${bundle.name} (${call.route as RouteName})`,
      value: ownMs / baseMs,
      unit: '×',
      target: { op: '<=', limit: 1.5 },
      note: `${ownMs.toFixed(0)} ms vs baseline ${baseMs.toFixed(0)} ms (fastest of ${rounds}; answered ${status})`,
    });
  }
  return figures;
}
