/**
 * Where the app keeps each relay's cursor: localStorage, one key per workspace and relay. Losing
 * one (the browser writes localStorage lazily) costs only a download again: applying an update
 * twice changes nothing, and the acknowledged state vector only ever saves uploads.
 *
 * Body documents (schema 2) have a cursor each per relay, up to 100,000 of them, which is more
 * than localStorage holds: they live in IndexedDB (`outpost-relay-<workspace id>`), read and
 * written a page of ids at a time ({@link indexedDbDocCursors}).
 */
import { fromBase64Url, toBase64Url } from '../../../shared/protocol/bytes';
import { requestDone, transactionDone } from '../storage/idb';
import type { RelayCursor, RelayCursorStore, RelayDocCursor, RelayDocCursorStore } from './types';

const PREFIX = 'outpost.relay.';

function keyOf(workspaceId: string, url: string): string {
  return `${PREFIX}${workspaceId}.${url}`;
}

export function localStorageCursors(workspaceId: string): RelayCursorStore {
  return {
    load(url) {
      const text = localStorage.getItem(keyOf(workspaceId, url));
      if (!text) return null;
      try {
        const value = JSON.parse(text) as { after?: unknown; acked?: unknown; clean?: unknown };
        const acked = typeof value.acked === 'string' ? fromBase64Url(value.acked) : undefined;
        if (!Number.isSafeInteger(value.after) || (value.after as number) < 0 || !acked)
          return null;
        return { after: value.after as number, acked, clean: value.clean === true };
      } catch {
        return null; // unreadable: start from the beginning (idempotent, only slower)
      }
    },
    save(url, cursor: RelayCursor) {
      localStorage.setItem(
        keyOf(workspaceId, url),
        JSON.stringify({
          after: cursor.after,
          acked: toBase64Url(cursor.acked),
          clean: cursor.clean,
        }),
      );
    },
  };
}

/** Forgets the cursors of a workspace (it was left) or of one of its relays (removed). */
export function forgetRelayCursors(workspaceId: string, url?: string): void {
  const prefix = url === undefined ? `${PREFIX}${workspaceId}.` : keyOf(workspaceId, url);
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (key && (url === undefined ? key.startsWith(prefix) : key === prefix))
      localStorage.removeItem(key);
  }
}

/** The database of a workspace's body-document cursors. */
export const RELAY_DOCS_DB_PREFIX = 'outpost-relay-';
const DOCS_STORE = 'docs';
const AFTER_STORE = 'after';

function openDocCursorsDb(workspaceId: string): Promise<IDBDatabase> {
  const name = RELAY_DOCS_DB_PREFIX + workspaceId;
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      // Keys: [relay URL, document id] and relay URL.
      request.result.createObjectStore(DOCS_STORE);
      request.result.createObjectStore(AFTER_STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Could not open ${name}`));
    request.onblocked = () => reject(new Error(`Opening ${name} was blocked by another tab.`));
  });
}

/** A stored cursor, or null when the row is not one (read as "nothing known": uploaded again). */
function asDocCursor(value: unknown): RelayDocCursor | null {
  if (typeof value !== 'object' || value === null) return null;
  const { acked, clean } = value as { acked?: unknown; clean?: unknown };
  return acked instanceof Uint8Array ? { acked, clean: clean === true } : null;
}

/** Body-document cursors of workspace `workspaceId` in IndexedDB (the database opens on first use). */
export function indexedDbDocCursors(workspaceId: string): RelayDocCursorStore & {
  close(): void;
} {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => (db ??= openDocCursorsDb(workspaceId));
  return {
    async loadAfter(url) {
      const tx = (await open()).transaction(AFTER_STORE, 'readonly');
      const value: unknown = await requestDone(tx.objectStore(AFTER_STORE).get(url));
      return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0;
    },
    async load(url, ids) {
      const found = new Map<string, RelayDocCursor>();
      if (ids.length === 0) return found;
      const store = (await open()).transaction(DOCS_STORE, 'readonly').objectStore(DOCS_STORE);
      const values = await Promise.all(ids.map((id) => requestDone(store.get([url, id]))));
      values.forEach((value, index) => {
        const cursor = asDocCursor(value);
        if (cursor) found.set(ids[index]!, cursor);
      });
      return found;
    },
    async save(url, after, docs) {
      const tx = (await open()).transaction([DOCS_STORE, AFTER_STORE], 'readwrite');
      const done = transactionDone(tx);
      tx.objectStore(AFTER_STORE).put(after, url);
      const store = tx.objectStore(DOCS_STORE);
      for (const [id, cursor] of docs)
        store.put({ acked: cursor.acked, clean: cursor.clean }, [url, id]);
      await done;
    },
    close() {
      void db?.then((opened) => opened.close());
      db = null;
    },
  };
}

/** Forgets the body-document cursors of one relay (removed) of a workspace. */
export async function forgetRelayDocCursors(workspaceId: string, url: string): Promise<void> {
  const db = await openDocCursorsDb(workspaceId);
  try {
    const tx = db.transaction([DOCS_STORE, AFTER_STORE], 'readwrite');
    const done = transactionDone(tx);
    tx.objectStore(AFTER_STORE).delete(url);
    // Every [url, id] key sorts between [url] and [url, []] (arrays sort after strings).
    tx.objectStore(DOCS_STORE).delete(IDBKeyRange.bound([url], [url, []]));
    await done;
  } finally {
    db.close();
  }
}

/** Forgets every relay's body-document cursors of a workspace (it was left or deleted). */
export function forgetAllRelayDocCursors(workspaceId: string): Promise<void> {
  const name = RELAY_DOCS_DB_PREFIX + workspaceId;
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`Could not delete ${name}`));
  });
}

/** Body-document cursors kept in memory only (tests; a session that cannot use IndexedDB). */
export function memoryDocCursors(): RelayDocCursorStore {
  const after = new Map<string, number>();
  const docs = new Map<string, RelayDocCursor>();
  const key = (url: string, id: string) => JSON.stringify([url, id]);
  return {
    loadAfter: (url) => Promise.resolve(after.get(url) ?? 0),
    load(url, ids) {
      const found = new Map<string, RelayDocCursor>();
      for (const id of ids) {
        const cursor = docs.get(key(url, id));
        if (cursor) found.set(id, cursor);
      }
      return Promise.resolve(found);
    },
    save(url, value, changed) {
      after.set(url, value);
      for (const [id, cursor] of changed) docs.set(key(url, id), cursor);
      return Promise.resolve();
    },
  };
}
