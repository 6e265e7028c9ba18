import type { RouteDefinition } from '#contract/define';
import { currentMeter } from '#functions/table/request-meter';
import { emitRequestMetrics } from './business-metrics';
import { writeLine } from './logger';
import { type KernelRequest, workspaceIdOf } from './request';

/** True until this process has served its first request: a Lambda cold start. */
let coldStart = true;

/** The request's line: who asked what, how it ended, how long it took and what it cost the database. */
export function requestLine(route: RouteDefinition, request: KernelRequest, now = performance.now()): Record<string, unknown> {
  const { internal: state, event, context, response } = request;
  const status = response?.statusCode ?? 500;
  const meter = currentMeter();
  const workspaceId = workspaceIdOf(state.params);
  const line: Record<string, unknown> = {
    level: status >= 500 ? 'error' : 'info',
    time: new Date().toISOString(),
    message: 'request',
    lambdaRequestId: context?.awsRequestId,
    apiRequestId: event?.requestContext?.requestId,
    route: route.handler,
    method: route.method,
    path: route.path,
    workspaceId,
    status,
    durationMs: Math.round((now - (state.startedAt ?? now)) * 10) / 10,
    dbRequests: meter?.commands.length ?? 0,
    dbCapacityUnits: meter ? Math.round(meter.capacityUnits * 100) / 100 : 0,
    coldStart,
  };
  if (response?.headers?.['idempotency-replayed']) line.idempotencyReplayed = true;
  if (status >= 400 && state.error instanceof Error) line.errorName = state.error.name;
  return line;
}

/**
 * The request log: one JSON line per request, written when the answer is
 * ready, whatever path it took (handled, refused by a middleware, replayed
 * from an idempotency record, or mapped from an error), then the business
 * metrics its answer carries. Runs as middy's request hooks rather than a
 * middleware, because an early answer skips the `after` middlewares and
 * would go unlogged.
 */
export function requestLogging(route: RouteDefinition) {
  return {
    requestStart: (request: KernelRequest) => {
      request.internal.startedAt = performance.now();
    },
    requestEnd: (request: KernelRequest) => {
      try {
        const line = requestLine(route, request);
        coldStart = false;
        writeLine(line, line.level === 'error' ? 'error' : 'info');
        const { response } = request;
        emitRequestMetrics(route, Number(line.status), typeof response?.body === 'string' ? response.body : undefined);
      } catch {
        // The answer matters more than its log line.
      }
    },
  };
}
