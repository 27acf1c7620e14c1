/**
 * The main process's part of sync: hosts this device's LAN signaling server as the settings say
 * (on, off, which port), announces it with mDNS, and keeps the list of other Outpost devices'
 * servers found on the LAN. The renderer reads it over IPC (`sync:getNetwork`) and hears of every
 * change (`sync:networkChanged`). Plain Node: the desktop app and the web companion both use it.
 */
import type { LanServer, SyncNetwork, SyncSettings } from '../../../shared/ipc/syncContract';
import {
  MAX_LAN_SERVERS,
  startDiscovery,
  type Discovery,
  type DiscoveryOptions,
} from '../discovery/mdns';
import { startSignalingServer } from './server';
import type { HostedServer, StartHostedServer } from './serverHost';

/** The server in this process: the web companion's and the tests' default. */
const inThisProcess: StartHostedServer = (options) =>
  startSignalingServer({ host: options.host, port: options.port, log: options.log });

export interface SyncNetworkService {
  get(): SyncNetwork;
  /** Calls `listener` with the new state after every change; returns the unsubscribe function. */
  subscribe(listener: (network: SyncNetwork) => void): () => void;
  /**
   * Applies changed settings: restarts the server when its port or switch (or discovery's) changed, or when it
   * could not start as the settings say (then the same settings again are a retry). Never rejects.
   */
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
  /**
   * Where the server runs. The desktop app passes one that starts it in a utility process
   * (serverHost.ts), so a flood cannot stall the main process; the default runs it here.
   */
  readonly startServer?: StartHostedServer;
  readonly log?: (message: string) => void;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

function describeListenError(error: unknown, port: number): string {
  const code = errorCode(error);
  if (code === 'EADDRINUSE')
    return `Port ${port} is already used by another program. Choose another port for the LAN server in Sync settings.`;
  if (code === 'EACCES')
    return `Outpost may not use port ${port} on this system. Choose a port above 1024 in Sync settings.`;
  return `The LAN server could not start: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Why the server runs on another port than the settings say. Teammates on the LAN still find it
 * (mDNS announces the port it really has); only someone who typed this device's address by hand
 * needs the new port.
 */
function describeFallback(error: unknown, wanted: number, got: number): string {
  const why =
    errorCode(error) === 'EACCES'
      ? `Outpost may not use port ${wanted} on this system`
      : `Port ${wanted} is already used by another program`;
  return `${why}, so the LAN server runs on port ${got} instead; teammates on this network still find it. Choose another port in Sync settings to keep one.`;
}

/** Starts hosting and discovery according to `options.settings`. */
export async function startSyncNetwork(options: SyncNetworkOptions): Promise<SyncNetworkService> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const listeners = new Set<(network: SyncNetwork) => void>();
  let server: HostedServer | null = null;
  let discovery: Discovery | null = null;
  let lanServers: LanServer[] = [];
  let state: SyncNetwork = {
    localServer: { state: 'off', port: null, url: null, error: null },
    discovery: 'off',
    lanServers: [],
  };
  let current: Pick<SyncSettings, 'lanServer' | 'lanDiscovery'> | null = null;
  /** The server runs as the settings say (false after a fallback or a failure: worth retrying). */
  let asConfigured = false;
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

  async function start(settings: SyncSettings): Promise<void> {
    const { lanServer } = settings;
    current = { lanServer: { ...lanServer }, lanDiscovery: settings.lanDiscovery };
    asConfigured = true;
    let localServer: SyncNetwork['localServer'] = {
      state: 'off',
      port: null,
      url: null,
      error: null,
    };
    if (lanServer.enabled) {
      const wanted = options.port ?? lanServer.port;
      const listen = (port: number): Promise<HostedServer> => {
        const started = (options.startServer ?? inThisProcess)({
          host: options.host ?? '0.0.0.0',
          port,
          log: (event, details) => log(`[signaling] ${event} ${JSON.stringify(details ?? {})}`),
          onCrash: (why) => {
            if (server !== hosted) return;
            server = null;
            asConfigured = false;
            const error = `The LAN server stopped unexpectedly (${why}). Turn the LAN server off and on in Sync settings to restart it.`;
            log(error);
            publish({
              ...state,
              localServer: { state: 'failed', port: null, url: null, error },
            });
          },
        });
        let hosted: HostedServer | null = null;
        return started.then((value) => (hosted = value));
      };
      let problem: string | null = null;
      try {
        try {
          server = await listen(wanted);
        } catch (error) {
          const code = errorCode(error);
          if (wanted === 0 || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw error;
          // A port taken by another program must not cut this device off the LAN.
          server = await listen(0);
          problem = describeFallback(error, wanted, server.port);
          asConfigured = false;
          log(problem);
        }
        localServer = {
          state: 'running',
          port: server.port,
          url: `ws://127.0.0.1:${server.port}`,
          error: problem,
        };
      } catch (error) {
        asConfigured = false;
        localServer = {
          state: 'failed',
          port: null,
          url: null,
          error: describeListenError(error, wanted),
        };
        log(localServer.error ?? '');
      }
    }
    let discoveryState: SyncNetwork['discovery'] = 'off';
    if (options.discovery !== false && settings.lanDiscovery) {
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
          onIgnored(server) {
            log(
              `mDNS: ignored ${server.url}: already using ${MAX_LAN_SERVERS} servers found on this network.`,
            );
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
      // The same settings again are a retry when the server could not start as they say.
      if (
        current &&
        asConfigured &&
        current.lanServer.enabled === next.enabled &&
        current.lanServer.port === next.port &&
        current.lanDiscovery === settings.lanDiscovery
      )
        return;
      await stop();
      await start(settings);
    });
    // Never rejects: callers fire and forget, and the outcome is in the published state.
    queue = run.catch((error: unknown) => log(`Sync network change failed: ${String(error)}`));
    return queue;
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
