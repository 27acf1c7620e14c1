import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now: for a server a test starts itself, or as a port
 * that refuses connections. Never a fixed port, which another run on the machine may hold.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('The system gave no port.');
  return address.port;
}
