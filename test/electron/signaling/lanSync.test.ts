/**
 * The LAN signaling server as the sync settings switch and move it: real servers on loopback, a
 * real port held by another program, no mDNS (that runs only inside a namespace, test/sync).
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startSyncNetwork,
  type SyncNetworkService,
} from '../../../electron/main/signaling/lanSync';
import { DEFAULT_SYNC_SETTINGS, type SyncNetwork } from '../../../shared/ipc/syncContract';
import { connect } from './client';

const services: SyncNetworkService[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  await Promise.all(
    blockers.splice(0).map((blocker) => new Promise((resolve) => blocker.close(resolve))),
  );
});

/** Another program holding a port on loopback. */
async function holdPort(port = 0): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(port, '127.0.0.1', resolve);
  });
  return (blocker.address() as { port: number }).port;
}

/** A port free a moment ago. */
async function freePort(): Promise<number> {
  const port = await holdPort();
  await new Promise((resolve) => blockers.pop()!.close(resolve));
  return port;
}

async function start(lanServer: { enabled: boolean; port: number }) {
  const logged: string[] = [];
  const service = await startSyncNetwork({
    settings: { ...DEFAULT_SYNC_SETTINGS, lanServer },
    host: '127.0.0.1',
    discovery: false,
    log: (message) => logged.push(message),
  });
  services.push(service);
  const published: SyncNetwork[] = [];
  service.subscribe((network) => published.push(network));
  return { service, logged, published };
}

async function answersPing(port: number): Promise<boolean> {
  try {
    const client = await connect(`ws://127.0.0.1:${port}`);
    client.send({ type: 'ping' });
    const answer = await client.next();
    await client.close();
    return (answer as { type?: string }).type === 'pong';
  } catch {
    return false;
  }
}

describe('the LAN signaling server', () => {
  it('runs on the configured port and speaks signaling there', async () => {
    const port = await freePort();
    const { service } = await start({ enabled: true, port });
    expect(service.get().localServer).toEqual({
      state: 'running',
      port,
      url: `ws://127.0.0.1:${port}`,
      error: null,
    });
    expect(await answersPing(port)).toBe(true);
  });

  it('moves to a free port with a clear note when its port is taken, and back once it is free', async () => {
    const taken = await holdPort();
    const { service, logged, published } = await start({ enabled: true, port: taken });
    const local = service.get().localServer;
    expect(local.state).toBe('running');
    expect(local.port).not.toBe(taken);
    expect(local.error).toBe(
      `Port ${taken} is already used by another program, so the LAN server runs on port ${local.port} instead; teammates on this network still find it. Choose another port in Sync settings to keep one.`,
    );
    expect(logged).toContain(local.error);
    expect(await answersPing(local.port!)).toBe(true);

    // The other program quits; saving the same settings again is a retry.
    await new Promise((resolve) => blockers.pop()!.close(resolve));
    await service.apply({ ...DEFAULT_SYNC_SETTINGS, lanServer: { enabled: true, port: taken } });
    expect(service.get().localServer).toEqual({
      state: 'running',
      port: taken,
      url: `ws://127.0.0.1:${taken}`,
      error: null,
    });
    expect(published.at(-1)).toEqual(service.get());
    expect(await answersPing(local.port!)).toBe(false); // the fallback server is gone
    expect(await answersPing(taken)).toBe(true);
  });

  it('says why when it may not listen at all, and keeps running the rest', async () => {
    // An address this machine does not have: no port helps, so there is no fallback.
    const service = await startSyncNetwork({
      settings: { ...DEFAULT_SYNC_SETTINGS, lanServer: { enabled: true, port: 0 } },
      host: '192.0.2.1',
      discovery: false,
      log: () => {},
    });
    services.push(service);
    const local = service.get().localServer;
    expect(local.state).toBe('failed');
    expect(local.port).toBeNull();
    expect(local.error).toMatch(/^The LAN server could not start: .*EADDRNOTAVAIL/);
  });

  it('turns off and on again, and moves when the port changes', async () => {
    const first = await freePort();
    const { service, published } = await start({ enabled: true, port: first });
    expect(await answersPing(first)).toBe(true);

    await service.apply({ ...DEFAULT_SYNC_SETTINGS, lanServer: { enabled: false, port: first } });
    expect(service.get().localServer).toEqual({ state: 'off', port: null, url: null, error: null });
    expect(await answersPing(first)).toBe(false);

    await service.apply({ ...DEFAULT_SYNC_SETTINGS, lanServer: { enabled: true, port: first } });
    expect(service.get().localServer.port).toBe(first);
    expect(await answersPing(first)).toBe(true);

    const second = await freePort();
    await service.apply({ ...DEFAULT_SYNC_SETTINGS, lanServer: { enabled: true, port: second } });
    expect(service.get().localServer.port).toBe(second);
    expect(await answersPing(first)).toBe(false);
    expect(await answersPing(second)).toBe(true);

    // Settings that do not touch the server (other fields) restart nothing.
    const count = published.length;
    await service.apply({
      ...DEFAULT_SYNC_SETTINGS,
      signalingServers: ['wss://signal.example.org'],
      lanServer: { enabled: true, port: second },
    });
    expect(published.length).toBe(count);
    expect(published.map((network) => network.localServer.state)).toEqual([
      'off',
      'running',
      'running',
    ]);
  });

  it('applies changes one after another, the last one winning', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const { service } = await start({ enabled: true, port: a });
    const settings = (enabled: boolean, port: number) => ({
      ...DEFAULT_SYNC_SETTINGS,
      lanServer: { enabled, port },
    });
    await Promise.all([
      service.apply(settings(false, a)),
      service.apply(settings(true, b)),
      service.apply(settings(true, a)),
    ]);
    expect(service.get().localServer.port).toBe(a);
    expect(await answersPing(a)).toBe(true);
    expect(await answersPing(b)).toBe(false);
    await service.close();
    expect(await answersPing(a)).toBe(false);
    // After close, changes are ignored and do not reject.
    await expect(service.apply(settings(true, b))).resolves.toBeUndefined();
    expect(await answersPing(b)).toBe(false);
  });
});
