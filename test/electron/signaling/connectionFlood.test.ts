/**
 * One address floods the signaling server with 1,000 connections for a bounded time (issue 16):
 * a good client from another address is still let in and served, while the flood runs. How fast
 * it is served is a benchmark figure (`signaling.flood.served.p95` in bench/signaling.ts), never
 * asserted here. The flood is the benchmark's own (bench/signalingFlood.ts), in its own process,
 * from 127.0.0.2; the good clients come from 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNALING_LIMITS } from '../../../electron/main/signaling/server';
import { connect } from './client';
import { useTestServers } from './testServers';

const FLOOD_CONNECTIONS = 1000;
/** An upper bound: the flooder is stopped as soon as the good clients were served. */
const FLOOD_SECONDS = 60;

describe('a connection flood from one address', () => {
  const startServer = useTestServers();

  it('leaves a good client served while 1,000 connections pour in from one address', async () => {
    const server = await startServer();
    const flooder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.resolve('bench/signalingFlood.ts'),
        server.url,
        '127.0.0.2',
        String(FLOOD_CONNECTIONS),
        String(FLOOD_SECONDS),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const exited = new Promise<void>((resolve) => flooder.on('exit', () => resolve()));
    try {
      // The flood is on once the server turns its connections away (it holds 32 per address).
      await expect
        .poll(() => server.stats().rejectedConnections, { timeout: 20_000, interval: 20 })
        .toBeGreaterThan(100);

      // Two teammates' apps meet through the server: one publishes, the other receives it.
      const [a, b] = await Promise.all([connect(server.url), connect(server.url)]);
      a.send({ type: 'subscribe', topics: ['team-room'] });
      b.send({ type: 'subscribe', topics: ['team-room'] });
      await Promise.all([a.drain(), b.drain()]);
      a.send({ type: 'publish', topic: 'team-room', data: 'sealed offer' });
      expect(await b.next(15_000)).toEqual({
        type: 'publish',
        topic: 'team-room',
        data: 'sealed offer',
        clients: 2,
      });
      // …and that happened during the flood, which never got more than its share.
      expect(flooder.exitCode).toBeNull();
      const during = server.stats();
      expect(during.connections).toBeLessThanOrEqual(
        DEFAULT_SIGNALING_LIMITS.maxConnectionsPerAddress + 2,
      );

      flooder.kill();
      await exited;
      // The good clients are still connected and served after it.
      await expect(b.drain()).resolves.toEqual([]);
    } finally {
      if (flooder.exitCode === null) flooder.kill();
      await exited;
    }
  });
});
