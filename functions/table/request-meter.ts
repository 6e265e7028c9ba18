import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts the DynamoDB requests made while serving one API call. The local
 * server opens a meter around each handler call and reports the count in a
 * response header, so tests and benchmarks can hold every route to its
 * request budget. Outside a meter (on Lambda) counting costs one lookup.
 */
export interface RequestMeter {
  commands: string[];
}

const meters = new AsyncLocalStorage<RequestMeter>();

/** Runs `work` with a fresh meter and returns its result with the commands it sent. */
export async function metered<T>(work: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
  const meter: RequestMeter = { commands: [] };
  const result = await meters.run(meter, work);
  return { result, commands: meter.commands };
}

/** Records one request on the current meter, if any. */
export function recordRequest(commandName: string): void {
  meters.getStore()?.commands.push(commandName);
}
