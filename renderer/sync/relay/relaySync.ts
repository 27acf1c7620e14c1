/**
 * A workspace's relays: one {@link RelayClient} per relay URL on the same document. Every client
 * uploads what its relay lacks, so writing goes to all relays; every client downloads, so reading
 * works from whichever relay answers. Relays can be added and removed while it runs.
 *
 * With `lazyDocs` (schema 2: note bodies are documents of their own) each relay also carries the
 * bodies, on a connection of their own opened once the root caught up with that relay
 * ({@link RelayBodies}), so titles are there before bodies stream in.
 */
import type * as Y from 'yjs';
import { deriveRelayKeys, type RelayKeys } from '../../../shared/protocol/relayCrypto';
import { systemClock, type Clock } from '../peer/handshakes';
import type { WebSocketConstructor } from '../peer/types';
import type { LazyDocs } from '../peer/lazyDocs';
import { memoryDocCursors } from './cursorStorage';
import { RelayBodies, type RelayBodiesLimits } from './relayBodies';
import { RelayClient } from './relayClient';
import type { RelayCursorStore, RelayDocCursorStore, RelayStatus } from './types';

export type {
  RelayBodiesStatus,
  RelayCursor,
  RelayCursorStore,
  RelayDocCursor,
  RelayDocCursorStore,
  RelayStatus,
} from './types';

/** The workspace document's id in the mailbox until notes become documents of their own. */
export const WORKSPACE_DOC_ID = 'workspace';

export interface RelaySyncOptions {
  readonly secretKey: Uint8Array;
  readonly doc: Y.Doc;
  readonly docId?: string;
  readonly relays: readonly string[];
  readonly cursors: RelayCursorStore;
  /** The workspace's body documents (the lazy store); absent while bodies are embedded. */
  readonly lazyDocs?: LazyDocs;
  /**
   * Where each relay's body cursors are kept (`indexedDbDocCursors(workspaceId)` in the app).
   * Defaults to memory: every start then compares and downloads every body again.
   */
  readonly docCursors?: RelayDocCursorStore;
  readonly bodyLimits?: Partial<RelayBodiesLimits>;
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
  /** The body documents' side of relay `url` (when syncing lazy documents). */
  bodies(url: string): RelayBodies | undefined;
  /**
   * Resolves once the body cursors saved so far are written: after `destroy()`, before closing
   * the store they are kept in.
   */
  whenSaved(): Promise<void>;
  destroy(): void;
}

/** Starts syncing `doc` through `relays` (derivations first, so this is asynchronous). */
export async function startRelaySync(options: RelaySyncOptions): Promise<RelaySync> {
  const keys: RelayKeys = await deriveRelayKeys(options.secretKey);
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const clock = options.clock ?? systemClock;
  const clients = new Map<string, RelayClient>();
  const bodies = new Map<string, RelayBodies>();
  /** The last cursor saves of destroyed bodies' sides, which `whenSaved` waits for too. */
  let ended: Promise<unknown> = Promise.resolve();
  const end = (side: RelayBodies) => {
    side.destroy();
    ended = Promise.all([ended, side.whenSaved()]);
  };
  const { lazyDocs } = options;
  const docCursors = options.docCursors ?? memoryDocCursors();
  const docId = options.docId ?? WORKSPACE_DOC_ID;
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
        const side = bodies.get(url);
        if (side) end(side);
        bodies.delete(url);
      }
    for (const url of wanted) {
      if (clients.has(url)) continue;
      const client = new RelayClient({
        url,
        keys,
        doc: options.doc,
        docId,
        cursors: options.cursors,
        WebSocket: Socket,
        clock,
        onStatus: notify,
        log: options.log,
      });
      clients.set(url, client);
      if (lazyDocs)
        bodies.set(
          url,
          new RelayBodies({
            url,
            keys,
            docs: lazyDocs,
            cursors: docCursors,
            rootDocId: docId,
            rootReady: client.whenCaughtUp(),
            WebSocket: Socket,
            clock,
            onStatus: notify,
            log: options.log,
            limits: options.bodyLimits,
          }),
        );
    }
    notify();
  };
  setRelays(options.relays);
  // A body that came before its note's record waits for the root to name it.
  const onRootUpdate = () => {
    for (const side of bodies.values()) side.rootChanged();
  };
  if (lazyDocs) options.doc.on('update', onRootUpdate);

  const statusOf = (client: RelayClient): RelayStatus => {
    const status = client.status();
    const side = bodies.get(client.url);
    if (!side) return status;
    return {
      ...status,
      holdsAll: status.holdsAll && side.holdsAll(),
      error: status.error ?? side.lastError(),
      bodies: side.status(),
    };
  };

  return {
    status: () => [...clients.values()].map(statusOf),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setRelays,
    client: (url) => clients.get(url),
    bodies: (url) => bodies.get(url),
    whenSaved: async () => {
      await Promise.all([ended, ...[...bodies.values()].map((side) => side.whenSaved())]);
    },
    destroy() {
      if (lazyDocs) options.doc.off('update', onRootUpdate);
      for (const client of clients.values()) client.destroy();
      for (const side of bodies.values()) end(side);
      clients.clear();
      bodies.clear();
      listeners.clear();
    },
  };
}
