import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { returns, route } from '#contract/define';
import { type ApiEvent, defineHandler } from './http';
import { log } from './logger';
import { metric } from './metrics';

/** The request log line and the embedded metric format lines, as CloudWatch and the local terminal see them. */
let lines: Record<string, unknown>[];
let setting: string | undefined;

beforeEach(() => {
  lines = [];
  setting = process.env.ACCORD_LOG;
  process.env.ACCORD_LOG = 'info';
  // Every line the API writes goes to stdout: read them back from there.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env.ACCORD_LOG = setting;
});

const probe = route({
  method: 'POST',
  path: '/probe/{thing}',
  handler: 'catalogue/check',
  summary: 'test probe',
  access: { kind: 'signedIn' },
  writes: false,
  idempotent: false,
  response: returns<unknown>(),
});

const event = (requestId: string) =>
  ({
    rawPath: '/api/probe/x',
    headers: {},
    pathParameters: { thing: 'x' },
    requestContext: {
      requestId,
      authorizer: { jwt: { claims: { sub: 's-1', email: 'a@b.example', email_verified: 'true' }, scopes: [] } },
    },
  }) as unknown as ApiEvent;

const context = (awsRequestId: string) => ({ awsRequestId, getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;

const requestLines = () => lines.filter((line) => line.message === 'request');
const metricLines = () => lines.filter((line) => '_aws' in line);

describe('the request log', () => {
  it('writes one JSON line per request with its ids, route, status, duration, database cost and cold start', async () => {
    const handler = defineHandler(probe, async () => ({ band: 'flex' }));
    await handler(event('api-1'), context('lambda-1'));
    await handler(event('api-2'), context('lambda-2'));
    const [first, second] = requestLines();
    expect(requestLines()).toHaveLength(2);
    expect(first).toMatchObject({
      level: 'info',
      message: 'request',
      lambdaRequestId: 'lambda-1',
      apiRequestId: 'api-1',
      route: 'catalogue/check',
      method: 'POST',
      path: '/probe/{thing}',
      status: 200,
      dbRequests: 0,
      dbCapacityUnits: 0,
    });
    expect(typeof first?.durationMs).toBe('number');
    expect(Number(first?.durationMs)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(String(first?.time))).not.toBeNaN();
    expect(typeof first?.coldStart).toBe('boolean');
    expect(second).toMatchObject({ apiRequestId: 'api-2', coldStart: false });
  });

  it('logs a request refused before its handler, with the error name and a 4xx metric for its route', async () => {
    const handler = defineHandler(probe, async () => ({}));
    const refused = await handler({ ...event('api-3'), body: '{}' } as ApiEvent, context('lambda-3'));
    expect(refused.statusCode).toBe(400);
    expect(requestLines()).toEqual([expect.objectContaining({ status: 400, errorName: 'BadRequest', apiRequestId: 'api-3' })]);
    expect(metricLines()).toEqual([expect.objectContaining({ ClientErrors: 1, Route: 'catalogue/check' })]);
  });

  it('logs an unhandled error with its cause chain, answers a bare 500 and counts a 5xx for the route', async () => {
    const handler = defineHandler(probe, async () => {
      throw new Error('export failed', { cause: new TypeError('x is undefined') });
    });
    const response = await handler(event('api-4'), context('lambda-4'));
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(String(response.body))).toEqual({ error: 'InternalError', message: 'Something went wrong on our side' });
    const error = lines.find((line) => line.message === 'Unhandled error');
    expect(error).toMatchObject({
      level: 'error',
      apiRequestId: 'api-4',
      lambdaRequestId: 'lambda-4',
      error: { name: 'Error', message: 'export failed', cause: { name: 'TypeError', message: 'x is undefined' } },
    });
    expect(requestLines()).toEqual([expect.objectContaining({ level: 'error', status: 500, errorName: 'Error' })]);
    expect(metricLines()).toEqual([expect.objectContaining({ ServerErrors: 1, Route: 'catalogue/check' })]);
  });

  it('writes nothing when ACCORD_LOG is silent', async () => {
    process.env.ACCORD_LOG = 'silent';
    await defineHandler(probe, async () => ({ band: 'flex' }))(event('api-5'), context('lambda-5'));
    log.error('not written', new Error('x'));
    metric('Anything', 1);
    expect(lines).toEqual([]);
  });

  it('keeps warnings and errors when ACCORD_LOG is warn, errors only when it is error', async () => {
    process.env.ACCORD_LOG = 'warn';
    log.info('dropped');
    log.warn('kept');
    log.error('kept too', new Error('x'));
    process.env.ACCORD_LOG = 'error';
    log.warn('dropped too');
    log.error('an error', new Error('y'));
    expect(lines.map((line) => line.message)).toEqual(['kept', 'kept too', 'an error']);
  });
});

describe('business metrics', () => {
  it('writes a metric as one embedded metric format line in the Accord namespace', () => {
    metric('CommitmentsRecorded', 2, { Band: 'flex' });
    const [line] = lines;
    expect(lines).toHaveLength(1);
    expect(line).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          { Namespace: 'Accord', Dimensions: [['Band']], Metrics: [{ Name: 'CommitmentsRecorded', Unit: 'Count' }] },
        ],
      },
      Band: 'flex',
      CommitmentsRecorded: 2,
    });
    expect(Math.abs(Number((line?._aws as { Timestamp?: number } | undefined)?.Timestamp) - Date.now())).toBeLessThan(5_000);
  });

  it('skips a value that is not a finite number rather than write a line CloudWatch rejects', () => {
    metric('OccurrenceCost', Number.NaN);
    expect(lines).toEqual([]);
  });

  it('counts an occurrence logged with its cost in its currency', async () => {
    const logOccurrence = { ...probe, handler: 'misalignment/log-occurrence', status: 201 as const };
    await defineHandler(logOccurrence, async () => ({ id: 'o-1', totalCost: 350.5, currency: 'EUR' }))(
      event('api-7'),
      context('lambda-7'),
    );
    expect(metricLines()).toEqual([
      expect.objectContaining({ OccurrencesLogged: 1 }),
      expect.objectContaining({
        OccurrenceCost: 350.5,
        Currency: 'EUR',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            { Namespace: 'Accord', Dimensions: [['Currency']], Metrics: [{ Name: 'OccurrenceCost', Unit: 'None' }] },
          ],
        }),
      }),
    ]);
  });

  it('counts nothing for a route whose answer carries no business fact', async () => {
    const other = { ...probe, handler: 'portfolio/list' };
    await defineHandler(other, async () => ({ band: 'flex' }))(event('api-8'), context('lambda-8'));
    expect(metricLines()).toEqual([]);
    expect(requestLines()).toHaveLength(1);
  });

  it('counts a promise check by the band of its answer', async () => {
    await defineHandler(probe, async () => ({ band: 'beyond', reasons: [] }))(event('api-6'), context('lambda-6'));
    expect(metricLines()).toEqual([
      expect.objectContaining({
        PromiseChecks: 1,
        Band: 'beyond',
        _aws: expect.objectContaining({ CloudWatchMetrics: expect.any(Array) }),
      }),
    ]);
  });
});
