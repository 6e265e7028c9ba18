import type { RouteDefinition } from '#contract/define';
import { isRecord } from '#functions/runtime/guards';
import { metric } from './metrics';

/**
 * The business metrics a route's answer carries, read from the answer itself
 * so the services stay free of reporting: a promise check by its band, a
 * commitment recorded, an occurrence logged with its cost, a sign-off given.
 * A service may also call `metric()` itself for what no answer shows.
 */
type Reader = (body: Record<string, unknown>) => void;

const readers: Record<string, Reader> = {
  'catalogue/check': (body) => {
    if (typeof body.band === 'string') metric('PromiseChecks', 1, { Band: body.band });
  },
  'catalogue/commitments/record': (body) => {
    metric('CommitmentsRecorded', 1);
    // The band the promise check gave when the commitment was made.
    const band = isRecord(body.commitment) ? body.commitment.answer : undefined;
    if (typeof band === 'string') metric('CommitmentsByBand', 1, { Band: band });
  },
  'misalignment/log-occurrence': (body) => {
    metric('OccurrencesLogged', 1);
    if (typeof body.totalCost === 'number' && typeof body.currency === 'string') {
      metric('OccurrenceCost', body.totalCost, { Currency: body.currency }, 'None');
    }
  },
  'thresholds/sign-off': () => metric('SignOffs', 1, { Via: 'threshold' }),
  'meetings/signatures/confirm-sign-off': () => metric('SignOffs', 1, { Via: 'meeting' }),
};

/** Emits the metrics of one answered request: errors by route, and what a successful answer says. */
export function emitRequestMetrics(route: RouteDefinition, status: number, body: string | undefined): void {
  if (status >= 500) metric('ServerErrors', 1, { Route: route.handler });
  else if (status >= 400) metric('ClientErrors', 1, { Route: route.handler });
  const read = readers[route.handler];
  if (!read || status < 200 || status >= 300 || !body) return;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) read(parsed);
  } catch {
    // Not JSON: the route answers something else, and there is nothing to count.
  }
}
