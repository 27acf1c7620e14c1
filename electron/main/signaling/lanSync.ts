/**
 * The main process's part of sync: hosts this device's LAN signaling server as the settings say
 * (on, off, which port), announces it with mDNS, and keeps the list of other Outpost devices'
 * servers found on the LAN. The renderer reads it over IPC (`sync:getNetwork`) and hears of every
 * change (`sync:networkChanged`). Plain Node: the desktop app and the web companion both use it.
 */
import type { LanServer, SyncNetwork, SyncSettings } from '../../../shared/ipc/syncContract';
import { startDiscovery, type Discovery, type DiscoveryOptions } from '../discovery/mdns';
import { startSignalingServer, type SignalingServer } from './server';

export interface SyncNetworkService {
  get(): SyncNetwork;
  /** Calls `listener` with the new state after every change; returns the unsubscribe function. */
  subscribe(listener: (network: SyncNetwork) => void): () => void;
  /** Applies changed settings (restarts the server when its port or switch changed). */
  apply(settings: SyncSettings): Promise<void>;
  close(): Promise<void>;
}

export interface SyncNetworkOptions {
  readonly settings: SyncSettings;
  /** Interface the signaling server binds (default all, so LAN peers reach it). */
  readonly host?: string;
  /** Announce and browse with mDNS (default true). */
  readonly discovery?: boolean;
  readonly discoveryOptions?: Pick<DiscoveryOptions, 'refreshMs' | 'bonjourOptions'>;
  /** Overrides the port of the settings (tests pass 0 for a free one). */
  readonly port?: number;
  readonly log?: (message: string) => void;
}

function describeListenError(error: unknown, port: number): string {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE')
    return `Port ${port} is already used by another program. Choose another port for the LAN server in Sync settings.`;
  if (code === 'EACCES')
    return `Outpost may not use port ${port} on this system. Choose a port above 1024 in Sync settings.`;
  return `The LAN server could not start: ${error instanceof Error ? error.message : String(error)}`;
}

/** Starts hosting and discovery according to `options.settings`. */
export async function startSyncNetwork(options: SyncNetworkOptions): Promise<SyncNetworkService> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const listeners = new Set<(network: SyncNetwork) => void>();
  let server: SignalingServer | null = null;
  let discovery: Discovery | null = null;
  let lanServers: LanServer[] = [];
  let state: SyncNetwork = {
    localServer: { state: 'off', port: null, url: null, error: null },
    discovery: 'off',
    lanServers: [],
  };
  let current: SyncSettings['lanServer'] | null = null;
  let closed = false;

  const publish = (next: SyncNetwork) => {
    state = next;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        log(`A sync network listener failed: ${String(error)}`);
      }
    }
  };
  const withLan = () => publish({ ...state, lanServers: [...lanServers] });

  async function stop(): Promise<void> {
    const stopping = [discovery?.close(), server?.close()];
    discovery = null;
    server = null;
    lanServers = [];
    await Promise.all(stopping);
  }

  async function start(lanServer: SyncSettings['lanServer']): Promise<void> {
    current = { ...lanServer };
    let localServer: SyncNetwork['localServer'] = {
      state: 'off',
      port: null,
      url: null,
      error: null,
    };
    if (lanServer.enabled) {
      try {
        server = await startSignalingServer({
          host: options.host ?? '0.0.0.0',
          port: options.port ?? lanServer.port,
          log: (event, details) => log(`[signaling] ${event} ${JSON.stringify(details ?? {})}`),
        });
        localServer = {
          state: 'running',
          port: server.port,
          url: `ws://127.0.0.1:${server.port}`,
          error: null,
        };
      } catch (error) {
        localServer = {
          state: 'failed',
          port: null,
          url: null,
          error: describeListenError(error, lanServer.port),
        };
        log(localServer.error ?? '');
      }
    }
    let discoveryState: SyncNetwork['discovery'] = 'off';
    if (options.discovery !== false) {
      try {
        discovery = startDiscovery({
          port: server?.port ?? null,
          ...options.discoveryOptions,
          onChange(servers) {
            lanServers = [...servers];
            withLan();
          },
          onError(error) {
            log(`mDNS: ${error.message}`);
          },
        });
        discoveryState = 'running';
      } catch (error) {
        discoveryState = 'failed';
        log(`mDNS discovery could not start: ${String(error)}`);
      }
    }
    publish({ localServer, discovery: discoveryState, lanServers: [...lanServers] });
  }

  // Settings changes are applied one after another.
  let queue: Promise<void> = Promise.resolve();
  const apply = (settings: SyncSettings): Promise<void> => {
    const run = queue.then(async () => {
      if (closed) return;
      const next = settings.lanServer;
      if (current && current.enabled === next.enabled && current.port === next.port) return;
      await stop();
      await start(next);
    });
    queue = run.catch((error: unknown) => log(`Sync network change failed: ${String(error)}`));
    return run;
  };

  await apply(options.settings);

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    apply,
    async close() {
      closed = true;
      await queue;
      await stop();
      listeners.clear();
    },
  };
}
