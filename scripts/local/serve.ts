import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalServer, type LocalServerOptions } from './server';

/** Where `npm start` listens unless told otherwise: this machine only. */
export const defaultHost = '127.0.0.1';

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

export interface ServeOptions extends LocalServerOptions {
  port: number;
  host?: string;
  /** How long to wait for the readiness answer before giving up. */
  readyTimeoutMs?: number;
}

export class NotReady extends Error {}

/**
 * Starts the local server as `npm start` does: bound to this machine unless a
 * host is given, refusing to serve other machines without local accounts,
 * and resolved only once `/api/ready` says the database answers.
 */
export async function serve(options: ServeOptions): Promise<{ server: Server; url: string }> {
  const host = options.host ?? defaultHost;
  if (!isLoopback(host) && !options.accounts) {
    throw new Error(
      `Serving other machines (--host ${host}) needs local accounts: sign-in by email alone is for this machine only`,
    );
  }
  const server = createLocalServer(options);
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  const own = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  try {
    await waitUntilReady(`http://${own}:${port}`, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await new Promise((resolvePromise) => server.close(resolvePromise));
    throw error;
  }
  const shown = isLoopback(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${shown}:${port}/` };
}

/** Polls the readiness route until it answers 200. */
export async function waitUntilReady(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/api/ready`, { signal: AbortSignal.timeout(5000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  throw new NotReady(`Not ready after ${timeoutMs} ms: ${last}`);
}
