/**
 * LAN discovery as a teammate's neighbours see it (issue 16): what is announced names no computer,
 * a rogue announcer of 200 servers changes nothing beyond the cap, and turning discovery off stops
 * both announcing and browsing. Real mDNS inside a private network namespace
 * (../shared/docs/TESTING.md), between processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LAN_SERVERS } from '../../electron/main/discovery/mdns';
import type { SyncNetwork } from '../../shared/ipc/syncContract';
import { createNetns, netnsUnavailable, NETNS_SKIP_REASON, type NetNamespace } from './netns';
import { rpc, startScript, type PeerProcess } from './peerProcess';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Seen = Array<{ name: string; host: string; port: number; up: boolean }>;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.runIf(available)('LAN discovery', { timeout: 90_000 }, () => {
  let netns: NetNamespace;
  const processes: PeerProcess[] = [];
  const start = () => {
    const started = rpc(startScript('test/sync/mdnsProcess.ts', netns));
    processes.push(started);
    return started;
  };

  beforeAll(() => {
    netns = createNetns();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.call('exit', {}, 3000).catch(() => {})));
    await Promise.all(processes.map((p) => p.close()));
    netns?.destroy();
  });

  it('announces a random host name, keeps to its cap under a rogue announcer, and stops when turned off', async () => {
    const watcher = start();
    await watcher.call('browse');
    const teammate = start();
    const teammateNetwork = await teammate.call<SyncNetwork>('startNetwork');
    const device = start();
    await device.call('startNetwork');

    // The teammate is found, and what it announced names no computer.
    const found = await until(
      () => device.call<SyncNetwork>('network'),
      (network) => network.lanServers.length === 1,
    );
    expect(found.lanServers.map((server) => server.port)).toEqual([
      teammateNetwork.localServer.port,
    ]);
    const announced = await until(
      () => watcher.call<Seen>('seen'),
      (seen) => seen.length === 2,
    );
    const computer = await watcher.call<string>('hostname');
    expect(announced).toHaveLength(2);
    for (const service of announced) {
      expect(service.host).toMatch(/^outpost-[0-9a-f]{12}\.local$/);
      expect(service.host).not.toContain(computer);
      expect(service.name).not.toContain(computer);
    }

    // 200 servers announced by one rogue: the list stops at the cap, the teammate stays on it.
    const rogue = start();
    await rogue.call('rogue', { count: 200 });
    const flooded = await until(
      () => device.call<string[]>('logged'),
      (logged) => logged.filter((line) => line.includes('ignored')).length >= 150,
      30_000,
    );
    expect(flooded.filter((line) => line.includes('ignored')).length).toBeGreaterThanOrEqual(150);
    const capped = await device.call<SyncNetwork>('network');
    expect(capped.lanServers).toHaveLength(MAX_LAN_SERVERS);
    expect(capped.lanServers.map((server) => server.port)).toContain(
      teammateNetwork.localServer.port,
    );

    // Turned off: nothing found is used, and the device says goodbye to its neighbours.
    const off = await device.call<SyncNetwork>('apply', { lanDiscovery: false });
    expect(off.discovery).toBe('off');
    expect(off.lanServers).toEqual([]);
    expect(off.localServer.state).toBe('running');
    const ports = (seen: Seen) => seen.filter((s) => s.up).map((s) => s.port);
    const after = await until(
      () => watcher.call<Seen>('seen'),
      (seen) => !ports(seen).includes(off.localServer.port!),
    );
    expect(ports(after)).not.toContain(off.localServer.port);
    expect(ports(after)).toContain(teammateNetwork.localServer.port);
  });
});
