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
  /** Capacity units DynamoDB reported as consumed (reads and writes together). */
  capacityUnits: number;
  readonly outer?: RequestMeter;
}

const meters = new AsyncLocalStorage<RequestMeter>();

/** Runs `work` with a fresh meter and returns its result with the commands it sent. */
export async function metered<T>(work: () => Promise<T>): Promise<{ result: T; commands: string[]; capacityUnits: number }> {
  const meter: RequestMeter = { commands: [], capacityUnits: 0, outer: meters.getStore() };
  const result = await meters.run(meter, work);
  return { result, commands: meter.commands, capacityUnits: meter.capacityUnits };
}

/** The innermost meter open around the caller, if any. */
export const currentMeter = (): RequestMeter | undefined => meters.getStore();

/** Records one request on every open meter. */
export function recordRequest(commandName: string): void {
  for (let meter = meters.getStore(); meter; meter = meter.outer) meter.commands.push(commandName);
}

/** Records the capacity one answer reported on every open meter. */
export function recordCapacity(units: number): void {
  if (!Number.isFinite(units) || units <= 0) return;
  for (let meter = meters.getStore(); meter; meter = meter.outer) meter.capacityUnits += units;
}
