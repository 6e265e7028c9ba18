import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Holds back the writes of a request until a check made beside it has
 * passed. The kernel sends a route's membership check together with the
 * route's own reads, so the caller waits for one round trip instead of two;
 * the route's writes, through the one document client, wait here for the
 * check's verdict, and when it refuses they never leave.
 */
const gates = new AsyncLocalStorage<Promise<unknown>>();

/** Runs `work` with its writes held behind `gate`. */
export function behindGate<T>(gate: Promise<unknown>, work: () => Promise<T>): Promise<T> {
  return gates.run(gate, work);
}

/** Commands that change the table (PartiQL statements may, so they count too). */
const changes =
  /^(?:(?:Put|Update|Delete|BatchWrite)Item|TransactWriteItems|(?:Batch)?ExecuteStatement|ExecuteTransaction)Command$/;

/** Waits for the request's gate, if any, before a command that changes the table; rejects when the gate refused. */
export async function passGate(commandName: string): Promise<void> {
  const gate = gates.getStore();
  if (gate && changes.test(commandName)) await gate;
}
