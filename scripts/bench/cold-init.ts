import { type AnyRoute, apiPrefix, type RouteName, routes } from '#contract/index';
import type { LocalAuth } from '#scripts/local/local-auth';
import type { Bundle, Probe } from './bundles';
import { type ColdStart, coldStart, isolateCore, startsOn, type Warm, warmer } from './cold-start';
import { prepareReplay, type RecordingProxy, replayOf, sameRequests, startRecordingProxy } from './replay';
import type { Figure } from './report';
import type { MeasuredCall } from './requests';

/** Targets, as ratios to the bare SDK handler measured in the same pairs. */
export const initLimit = 1.3;
export const answerLimit = 1.5;

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

/** The value at fraction `p` of the sorted values, interpolated between neighbours. */
function quantile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] ?? Number.NaN) + ((sorted[high] ?? Number.NaN) - (sorted[low] ?? Number.NaN)) * (at - low);
}

/** Median, quartiles and range of a sample. */
export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const spreadNote = (s: ReturnType<typeof summary>) =>
  `IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)}, range ${s.min.toFixed(2)}–${s.max.toFixed(2)}`;

/**
 * Runs `pairs` interleaved cold starts, the measured bundle then the
 * baseline, after one uncounted start of each that brings both files into the
 * page cache. Each pair gives one ratio, taken in the same moment of machine
 * load; the median of those ratios is the figure and their spread shows how
 * far one figure can be trusted.
 */
async function pairs(
  file: string,
  eventOfRound: (round: number) => Promise<unknown>,
  baselines: Baselines,
  warm: Warm,
  count: number,
  preload: string[] = [],
) {
  const { baseline, replay, proxy } = baselines;
  const baselineEvent = { routeKey: 'GET /bench' };
  /**
   * The function's start just made, replayed by the bare SDK; a replay that fails fails the figure. A start that
   * sent no database request has nothing to replay: its first answer is set against the GetItem handler's.
   */
  const replayed = async () => {
    if (!replay || !proxy) return undefined;
    const requests = replayOf(proxy.take());
    if (requests.rounds.length === 0) return undefined;
    await prepareReplay(requests, process.env.TABLE_NAME ?? '', process.env.DYNAMODB_ENDPOINT ?? '');
    const start = await coldStart(replay.file, { rounds: requests.rounds }, warm);
    // A replay counts only if it answered and sent what the function sent.
    const faithful = start.status === 200 && sameRequests(requests, replayOf(proxy.take()));
    return faithful ? start : { ...start, answer: Number.NaN };
  };
  // Only the function's own requests are replayed: what the proxy saw before its start is let go.
  const ownStart = async (round: number) => {
    const event = await eventOfRound(round);
    proxy?.take();
    return coldStart(file, event, warm, preload);
  };
  await ownStart(-1);
  await replayed();
  await coldStart(baseline.file, baselineEvent, warm);
  const own: ColdStart[] = [];
  const base: ColdStart[] = [];
  const same: Array<ColdStart | undefined> = [];
  for (let round = 0; round < count; round++) {
    own.push(await ownStart(round));
    same.push(await replayed());
    base.push(await coldStart(baseline.file, baselineEvent, warm));
  }
  const answerBase = own.map((_, i) => same[i] ?? base[i]);
  const replays = same.filter((start) => start !== undefined);
  return {
    own,
    base,
    init: summary(own.map((o, i) => o.init / (base[i]?.init ?? Number.NaN))),
    initCpu: summary(own.map((o, i) => o.initCpu / (base[i]?.initCpu ?? Number.NaN))),
    answer: summary(own.map((o, i) => o.answer / (answerBase[i]?.answer ?? Number.NaN))),
    /** Whether the first answer was set against the replay of its requests (else the GetItem handler). */
    replayed: replays.length > 0,
    answerOfGetItem: summary(own.map((o, i) => o.answer / (base[i]?.answer ?? Number.NaN))),
    ownInit: summary(own.map((o) => o.init)).median,
    ownAnswer: summary(own.map((o) => o.answer)).median,
    baseInit: summary(base.map((b) => b.init)).median,
    baseAnswer: summary(base.map((b) => b.answer)).median,
    replayAnswer: summary(replays.map((b) => b.answer)).median,
    // Every status the rounds answered: a round refused measures a refusal, which the note shows.
    status: [...new Set(own.map((o) => o.status))].join(', '),
    refused: own.some((o) => o.status >= 400),
  };
}

interface Baselines {
  /** The bare GetItem handler: the init baseline. */
  baseline: Bundle;
  /** The bare SDK replaying the function's own requests: the first-answer baseline. */
  replay?: Bundle;
  proxy?: RecordingProxy;
}

/**
 * Section 3: each function bundle started cold in a fresh Node process,
 * serving a read route of its group (the first one measured in section 1, a
 * write only when the group has no read), in interleaved pairs with the bare
 * GetItem baseline. Two figures per function: module initialisation and the
 * first answer, each the median of the pair ratios. Then where initialisation
 * goes: the route table with every schema, with zod inside and with zod
 * loaded beforehand (the schemas' construction alone).
 */
export async function measureColdInit(
  bundles: Bundle[],
  { baseline, replay }: { baseline: Bundle; replay: Bundle },
  probes: Probe[],
  calls: MeasuredCall[],
  auth: LocalAuth,
  groupsOfRoute: Map<string, string>,
  count: number,
  databasePid?: number,
): Promise<Figure[]> {
  const warm = warmer();
  const proxy = await startRecordingProxy(process.env.DYNAMODB_ENDPOINT ?? '');
  const isolated = isolateCore([process.pid, ...(databasePid ? [databasePid] : [])]);
  startsOn({ core: isolated?.core, endpoint: proxy.endpoint });
  try {
    return await measureAll(bundles, { baseline, replay, proxy }, probes, calls, auth, groupsOfRoute, count, warm);
  } finally {
    isolated?.release();
    startsOn();
    await proxy.close();
  }
}

async function measureAll(
  bundles: Bundle[],
  baselines: Baselines,
  probes: Probe[],
  calls: MeasuredCall[],
  auth: LocalAuth,
  groupsOfRoute: Map<string, string>,
  count: number,
  warm: Warm,
): Promise<Figure[]> {
  const init: Figure[] = [];
  const answer: Figure[] = [];
  const baselineInit: number[] = [];
  const baselineAnswer: number[] = [];
  const baselineTotal: number[] = [];
  for (const bundle of bundles) {
    const ofGroup = calls.filter((call) => groupsOfRoute.get(call.route) === bundle.name);
    const call = ofGroup.find((c) => c.method === 'GET') ?? ofGroup[0];
    if (!call) {
      const missing = { value: Number.NaN, unit: '×', note: 'no measured call for this function' };
      init.push({ section: 'cold init', name: bundle.name, target: { op: '<=', limit: initLimit }, ...missing });
      answer.push({ section: 'first answer', name: bundle.name, target: { op: '<=', limit: answerLimit }, ...missing });
      continue;
    }
    const event = await eventOf(call, auth);
    const measured = await pairs(
      bundle.file,
      async (round) => (call.callOfRound ? eventOf({ ...call, ...(await call.callOfRound(round)) }, auth) : event),
      baselines,
      warm,
      count,
    );
    baselineInit.push(...measured.base.map((b) => b.init));
    baselineAnswer.push(...measured.base.map((b) => b.answer));
    baselineTotal.push(...measured.base.map((b) => b.total));
    const name = `${bundle.name} (${call.route as RouteName})`;
    const ofPairs = `median of ${count} rounds`;
    init.push({
      section: 'cold init',
      name,
      value: measured.init.median,
      unit: '×',
      target: { op: '<=', limit: initLimit },
      spread: measured.init,
      note: `${ms(measured.ownInit)} vs ${ms(measured.baseInit)}; ${ofPairs}, ${spreadNote(measured.init)}; CPU time ${measured.initCpu.median.toFixed(2)}×`,
    });
    answer.push({
      section: 'first answer',
      name,
      // A round that was refused measured the refusal, not the route: the figure fails until every round succeeds.
      value: measured.refused ? Number.NaN : measured.answer.median,
      unit: '×',
      target: { op: '<=', limit: answerLimit },
      spread: measured.answer,
      note: measured.replayed
        ? `${ms(measured.ownAnswer)} vs ${ms(measured.replayAnswer)} (its requests replayed); ${ofPairs}, ${spreadNote(measured.answer)}; answered ${measured.status}; ${measured.answerOfGetItem.median.toFixed(2)}× the GetItem handler's ${ms(measured.baseAnswer)}`
        : `${ms(measured.ownAnswer)} vs ${ms(measured.baseAnswer)} (no database request: the GetItem handler's); ${ofPairs}, ${spreadNote(measured.answer)}; answered ${measured.status}`,
    });
  }

  const where: Figure[] = [];
  for (const probe of probes) {
    const measured = await pairs(probe.file, async () => ({}), { baseline: baselines.baseline }, warm, count, probe.preload);
    const after = probe.preload.length > 0 ? `, imported after ${probe.preload.join(', ')}` : '';
    where.push({
      section: 'cold init',
      name: `where init goes: ${probe.name}`,
      value: measured.init.median,
      unit: '× baseline init',
      spread: measured.init,
      note: `${ms(measured.ownInit)} vs ${ms(measured.baseInit)}; ${(probe.bytes / 1024).toFixed(0)} KiB${after}; median of ${count} rounds, ${spreadNote(measured.init)}; CPU time ${measured.initCpu.median.toFixed(2)}×`,
    });
  }
  const base = { init: summary(baselineInit), answer: summary(baselineAnswer), total: summary(baselineTotal) };
  where.unshift({
    section: 'cold init',
    name: 'baseline (bare GetItem handler)',
    value: base.init.median,
    unit: 'ms',
    note: `module init, median of ${baselineInit.length}; first answer ${ms(base.answer.median)}, process start to answer ${ms(base.total.median)}`,
  });
  return [...init, ...where, ...answer];
}
