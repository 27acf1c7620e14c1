/**
 * LAN discovery of Outpost signaling servers with mDNS/DNS-SD (bonjour-service): announces this
 * device's server as `_outpost-sig._tcp` and browses for the others, reporting them as they appear
 * and disappear. Plain Node (no electron import); the web companion uses it too.
 *
 * A device that quits sends an mDNS goodbye and is dropped at once; one that vanishes without a
 * goodbye (sleep, Wi-Fi lost) is dropped when it stops answering the periodic re-query.
 *
 * What it tells the network is a random instance name and host name (`outpost-<id>.local`), made
 * anew at each start: never the computer's own name, which usually names its owner. At most
 * {@link MAX_LAN_SERVERS} servers are reported, the first found, so whoever announces hundreds
 * cannot make every app open a connection to each.
 */
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { LanServer } from '../../../shared/ipc/syncContract';

/** DNS-SD service type (`_outpost-sig._tcp.local`). */
export const MDNS_SERVICE_TYPE = 'outpost-sig';
/** TXT record version of the announcement. */
export const MDNS_TXT_VERSION = '1';
/** Servers reported at most (a team's devices on one network; a rogue announcer gets no more). */
export const MAX_LAN_SERVERS = 8;

export interface DiscoveryOptions {
  /** Port of this device's signaling server to announce; null announces nothing (browse only). */
  readonly port: number | null;
  /** Called with the full list whenever it changes. */
  onChange(servers: readonly LanServer[]): void;
  onError?(error: Error): void;
  /** How often to re-query the LAN (default 15 s). */
  readonly refreshMs?: number;
  /** Servers reported at most (default {@link MAX_LAN_SERVERS}). */
  readonly maxServers?: number;
  /** Told once each time a server is left out because the list is full. */
  onIgnored?(server: LanServer): void;
  /** Test seam: bonjour-service options (e.g. a specific interface). */
  readonly bonjourOptions?: Record<string, unknown>;
}

export interface Discovery {
  /** This device's instance id (its own announcement is never reported back). */
  readonly instanceId: string;
  servers(): LanServer[];
  close(): Promise<void>;
}

interface Known {
  server: LanServer;
  lastSeen: number;
}

function toServer(service: Service): LanServer | null {
  const addresses = (service.addresses ?? []).filter((address) => isIPv4(address));
  const referer = service.referer?.address;
  const address = referer && addresses.includes(referer) ? referer : addresses[0];
  if (!address || !Number.isInteger(service.port) || service.port <= 0) return null;
  return {
    name: service.name,
    url: `ws://${address}:${service.port}`,
    host: service.host,
    port: service.port,
  };
}

/** Starts announcing (when a port is given) and browsing. */
export function startDiscovery(options: DiscoveryOptions): Discovery {
  const instanceId = randomBytes(6).toString('hex');
  const refreshMs = options.refreshMs ?? 15_000;
  const maxServers = options.maxServers ?? MAX_LAN_SERVERS;
  /** Servers left out because the list was full (told once each). */
  const ignored = new Set<string>();
  const known = new Map<string, Known>();
  let closed = false;
  const report = (error: unknown) => {
    if (!closed) options.onError?.(error instanceof Error ? error : new Error(String(error)));
  };
  const bonjour = new Bonjour(options.bonjourOptions ?? {}, report);
  const isOwn = (service: Service) =>
    (service.txt as Record<string, unknown> | undefined)?.id === instanceId;

  const emit = () => {
    if (!closed) options.onChange([...known.values()].map((entry) => entry.server));
  };
  const seen = (service: Service) => {
    if (isOwn(service)) return;
    const server = toServer(service);
    if (!server) return;
    const previous = known.get(service.fqdn);
    if (!previous && known.size >= maxServers) {
      if (!ignored.has(service.fqdn)) {
        ignored.add(service.fqdn);
        options.onIgnored?.(server);
      }
      return;
    }
    known.set(service.fqdn, { server, lastSeen: Date.now() });
    if (!previous || previous.server.url !== server.url) emit();
  };

  if (options.port !== null) {
    bonjour.publish({
      name: `Outpost ${instanceId}`,
      type: MDNS_SERVICE_TYPE,
      port: options.port,
      host: `outpost-${instanceId}.local`,
      txt: { v: MDNS_TXT_VERSION, id: instanceId },
      disableIPv6: true,
    });
  }
  const browser: Browser = bonjour.find({ type: MDNS_SERVICE_TYPE });
  browser.on('up', seen);
  browser.on('srv-update', seen);
  browser.on('down', (service: Service) => {
    ignored.delete(service.fqdn);
    if (known.delete(service.fqdn)) emit();
  });

  // Re-query regularly: answers refresh lastSeen, and servers that stopped answering are dropped.
  let probe: Browser | null = null;
  const sweep = setInterval(() => {
    probe?.stop();
    probe = bonjour.find({ type: MDNS_SERVICE_TYPE }, seen);
    const cutoff = Date.now() - refreshMs * 2.5;
    let changed = false;
    for (const [fqdn, entry] of known) {
      if (entry.lastSeen < cutoff) {
        known.delete(fqdn);
        changed = true;
      }
    }
    if (changed) emit();
  }, refreshMs);
  sweep.unref?.();

  return {
    instanceId,
    servers: () => [...known.values()].map((entry) => entry.server),
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      clearInterval(sweep);
      probe?.stop();
      browser.stop();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        try {
          bonjour.unpublishAll(() => {
            bonjour.destroy(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        } catch {
          clearTimeout(timer);
          resolve();
        }
      });
    },
  };
}
