import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts the DynamoDB requests made while serving one API call, and the
 * capacity they consumed. The kernel opens a meter around each request for
 * its log line; the local server opens one around each handler call and
 * reports the count in a response header, so tests and benchmarks can hold
 * every route to its request budget. Meters nest: a request counts on every
 * meter open around it.
 */
export interface RequestMeter {
  commands: string[];
  /**
   * Sequential round trips: how many times a request left while none was in
   * flight. Requests sent together (a membership check beside the route's
   * own read) count as one, which is what the caller waits for.
   */
  roundTrips: number;
  inFlight: number;
  /** Capacity units DynamoDB reported as consumed (reads and writes together). */
  capacityUnits: number;
  readonly outer?: RequestMeter;
}

const meters = new AsyncLocalStorage<RequestMeter>();

/** Runs `work` with a fresh meter and returns its result with the commands it sent. */
export async function metered<T>(
  work: () => Promise<T>,
): Promise<{ result: T; commands: string[]; capacityUnits: number; roundTrips: number }> {
  const meter: RequestMeter = { commands: [], roundTrips: 0, inFlight: 0, capacityUnits: 0, outer: meters.getStore() };
  const result = await meters.run(meter, work);
  return { result, commands: meter.commands, capacityUnits: meter.capacityUnits, roundTrips: meter.roundTrips };
}

/** The innermost meter open around the caller, if any. */
export const currentMeter = (): RequestMeter | undefined => meters.getStore();

/** Records one request on every open meter; call what it returns when the answer is in. */
export function recordRequest(commandName: string): () => void {
  const open: RequestMeter[] = [];
  for (let meter = meters.getStore(); meter; meter = meter.outer) {
    meter.commands.push(commandName);
    if (meter.inFlight === 0) meter.roundTrips += 1;
    meter.inFlight += 1;
    open.push(meter);
  }
  return () => {
    for (const meter of open) meter.inFlight -= 1;
  };
}

/** Records the capacity one answer reported on every open meter. */
export function recordCapacity(units: number): void {
  if (!Number.isFinite(units) || units <= 0) return;
  for (let meter = meters.getStore(); meter; meter = meter.outer) meter.capacityUnits += units;
}
