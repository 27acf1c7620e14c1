/**
 * A workspace's relays: one {@link RelayClient} per relay URL on the same document. Every client
 * uploads what its relay lacks, so writing goes to all relays; every client downloads, so reading
 * works from whichever relay answers. Relays can be added and removed while it runs.
 */
import type * as Y from 'yjs';
import { deriveRelayKeys, type RelayKeys } from '../../../shared/protocol/relayCrypto';
import { systemClock, type Clock } from '../peer/handshakes';
import type { WebSocketConstructor } from '../peer/types';
import { RelayClient } from './relayClient';
import type { RelayCursorStore, RelayStatus } from './types';

export type { RelayCursor, RelayCursorStore, RelayStatus } from './types';

/** The workspace document's id in the mailbox until notes become documents of their own. */
export const WORKSPACE_DOC_ID = 'workspace';

export interface RelaySyncOptions {
  readonly secretKey: Uint8Array;
  readonly doc: Y.Doc;
  readonly docId?: string;
  readonly relays: readonly string[];
  readonly cursors: RelayCursorStore;
  /** Defaults to the global WebSocket (the browser's); Node passes `ws`'s. */
  readonly WebSocket?: WebSocketConstructor;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface RelaySync {
  status(): RelayStatus[];
  /** Called whenever a relay's status changes; returns a function that stops the calls. */
  onStatus(listener: () => void): () => void;
  setRelays(urls: readonly string[]): void;
  client(url: string): RelayClient | undefined;
  destroy(): void;
}

/** Starts syncing `doc` through `relays` (derivations first, so this is asynchronous). */
export async function startRelaySync(options: RelaySyncOptions): Promise<RelaySync> {
  const keys: RelayKeys = await deriveRelayKeys(options.secretKey);
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const clock = options.clock ?? systemClock;
  const clients = new Map<string, RelayClient>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  const setRelays = (urls: readonly string[]) => {
    const wanted = new Set(urls);
    for (const [url, client] of clients)
      if (!wanted.has(url)) {
        client.destroy();
        clients.delete(url);
      }
    for (const url of wanted)
      if (!clients.has(url))
        clients.set(
          url,
          new RelayClient({
            url,
            keys,
            doc: options.doc,
            docId: options.docId ?? WORKSPACE_DOC_ID,
            cursors: options.cursors,
            WebSocket: Socket,
            clock,
            onStatus: notify,
            log: options.log,
          }),
        );
    notify();
  };
  setRelays(options.relays);

  return {
    status: () => [...clients.values()].map((client) => client.status()),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setRelays,
    client: (url) => clients.get(url),
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
      listeners.clear();
    },
  };
}
