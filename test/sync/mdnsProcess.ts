/**
 * mDNS parts for test/sync/mdnsDiscovery.test.ts, run inside a test namespace and driven like
 * nodePeer.ts (JSON lines on stdin): this device's sync network (lanSync: LAN server plus
 * discovery, as the app runs it), a plain DNS-SD browser that records what is announced, and a
 * rogue announcer of many `_outpost-sig._tcp` services.
 */
import { Bonjour, type Service } from 'bonjour-service';
import { hostname } from 'node:os';
import { startSyncNetwork, type SyncNetworkService } from '../../electron/main/signaling/lanSync';
import { MDNS_SERVICE_TYPE } from '../../electron/main/discovery/mdns';
import { DEFAULT_SYNC_SETTINGS } from '../../shared/ipc/syncContract';
import { serveCommands } from './commandLoop';

let network: SyncNetworkService | null = null;
const logged: string[] = [];
const bonjour = new Bonjour();
const seen = new Map<string, { name: string; host: string; port: number; up: boolean }>();

const settings = (lanDiscovery: boolean) => ({
  ...DEFAULT_SYNC_SETTINGS,
  lanServer: { enabled: true, port: 0 },
  lanDiscovery,
});

serveCommands({
  async startNetwork(command) {
    network = await startSyncNetwork({
      settings: settings(command.lanDiscovery !== false),
      discoveryOptions: { refreshMs: 2000 },
      log: (message) => logged.push(message),
    });
    return network.get();
  },
  async apply(command) {
    await network!.apply(settings(command.lanDiscovery !== false));
    return network!.get();
  },
  network: () => network?.get(),
  logged: () => logged,
  hostname: () => hostname(),
  browse() {
    const record = (up: boolean) => (service: Service) =>
      seen.set(service.fqdn, { name: service.name, host: service.host, port: service.port, up });
    const browser = bonjour.find({ type: MDNS_SERVICE_TYPE });
    browser.on('up', record(true));
    browser.on('down', record(false));
    return true;
  },
  seen: () => [...seen.values()],
  rogue(command) {
    for (let i = 0; i < Number(command.count); i++) {
      bonjour.publish({
        name: `Rogue ${i}`,
        type: MDNS_SERVICE_TYPE,
        port: 20_000 + i,
        txt: { v: '1', id: `rogue${i}` },
        disableIPv6: true,
      });
    }
    return true;
  },
  async exit() {
    await network?.close();
    bonjour.destroy();
    setTimeout(() => process.exit(0), 50);
    return true;
  },
});
