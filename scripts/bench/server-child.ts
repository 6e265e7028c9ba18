/**
 * The local server in a process of its own, so the load generator does not
 * share its event loop. It verifies tokens with the key file the bench signs
 * them with, and prints its port once listening.
 */
import type { AddressInfo } from 'node:net';
import { createLocalAuth } from '#scripts/local/local-auth';
import { createLocalServer } from '#scripts/local/server';

const keyFile = process.argv[2];
const auth = await createLocalAuth({ keyFile });
const server = createLocalServer({ auth });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
