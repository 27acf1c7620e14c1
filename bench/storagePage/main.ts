/**
 * The page bench/storage.ts drives in Chromium: Outpost's durable storage and bare y-indexeddb
 * over real IndexedDB, doing the same sessions (edits, kills, reopens) and loads. Exposed on
 * window.storageBench.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { notes } from '../../shared/model';
import { openDurableStorage } from '../../renderer/sync/storage/durableStorage';
import { storedUpdateBytes } from '../../renderer/sync/storage/idb';
import { deriveAtRestKey, newDataKey, workspaceKeyInfo } from '../../shared/protocol/atRest';
import { codecWhenReady, rowScope, sealedRows } from '../../shared/storage/sealedRows';

/** `sealed`: Outpost's storage with encryption at rest, as the app opens a workspace with a key. */
type Mode = 'outpost' | 'bare' | 'sealed';
/** The device's data key (made once, as at the app's start) and the scope the rows were sealed in. */
const DATA_KEY = newDataKey();
const SEALED_SCOPE = rowScope('bench-load-sealed-source');
const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };
let counter = 0;

async function open(mode: Mode, name: string, doc: Y.Doc) {
  if (mode === 'bare') {
    const persistence = new IndexeddbPersistence(name, doc);
    await persistence.whenSynced;
    return { close: () => persistence.destroy() };
  }
  // The workspace key is derived as the app derives it, when the workspace opens.
  const codec =
    mode === 'sealed'
      ? codecWhenReady(
          deriveAtRestKey(DATA_KEY, workspaceKeyInfo('bench')).then((key) =>
            sealedRows(key, SEALED_SCOPE),
          ),
        )
      : undefined;
  const storage = openDurableStorage(name, doc, codec ? { codec } : {});
  await storage.whenLoaded;
  return { close: () => storage.destroy() };
}

/** Reads every row and custom entry of database `name`. */
async function rowsOf(
  name: string,
): Promise<{ rows: Array<[IDBValidKey, unknown]>; custom: [IDBValidKey[], unknown[]] }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = db.transaction(['updates', 'custom'], 'readonly');
  const rows = await new Promise<Array<[IDBValidKey, unknown]>>((resolve) => {
    const keys = tx.objectStore('updates').getAllKeys();
    keys.onsuccess = () => {
      const values = tx.objectStore('updates').getAll();
      values.onsuccess = () => resolve(keys.result.map((key, i) => [key, values.result[i]]));
    };
  });
  const custom = await new Promise<[IDBValidKey[], unknown[]]>((resolve) => {
    const keys = tx.objectStore('custom').getAllKeys();
    keys.onsuccess = () => {
      const values = tx.objectStore('custom').getAll();
      values.onsuccess = () => resolve([keys.result, values.result]);
    };
  });
  db.close();
  return { rows, custom };
}

async function bytesOf(name: string): Promise<{ rows: number; bytes: number }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await storedUpdateBytes(db);
  } finally {
    db.close();
  }
}

function seed(doc: Y.Doc, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = notes.create(doc, ctx, { title: `Note ${i}`, tags: ['bench'] });
    if (created.ok) ids.push(created.value.id);
  }
  return ids;
}

/** Lets IndexedDB callbacks and timers run between edits (setTimeout(0) would be clamped). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Waits `ms` with the page idle, so timers that wait for a quiet spell (compaction) can run. */
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `edits` renames over the workspace's notes, one transaction each, back to back (the page gets a
 * turn every 50 edits): sustained editing with no quiet second, the case a compaction that waits
 * for one never sees. Every `sampleEvery` edits the stored bytes are read; returns the largest.
 */
async function editBackToBack(
  doc: Y.Doc,
  name: string,
  edits: number,
  sampleEvery: number,
): Promise<{ rows: number; bytes: number }> {
  const ids = [...doc.getMap('notes').keys()];
  let peak = { rows: 0, bytes: 0 };
  for (let i = 0; i < edits; i++) {
    const id = ids[i % ids.length]!;
    const updated = notes.update(doc, ctx, id, { title: `Edit ${counter}.${i} of ${id}` });
    if (!updated.ok) throw new Error(updated.error.message);
    if (i % 50 === 49) await yieldToPage();
    if (i % sampleEvery === sampleEvery - 1 || i === edits - 1) {
      // A read-only transaction created now runs after every write y-indexeddb has issued, so
      // this is what is on disk once the edits made so far are saved.
      const stored = await bytesOf(name);
      if (stored.bytes > peak.bytes) peak = stored;
    }
  }
  return peak;
}

const bench = {
  /**
   * One session: opens a workspace of `noteCount` notes, makes `edits` edits back to back and
   * never closes. Returns the peak and final stored bytes and the encoded state size.
   */
  async session(mode: Mode, edits: number, noteCount: number, sampleEvery: number) {
    const name = `bench-session-${mode}-${counter++}`;
    const doc = new Y.Doc();
    await open(mode, name, doc);
    seed(doc, noteCount);
    const peak = await editBackToBack(doc, name, edits, sampleEvery);
    const end = await bytesOf(name);
    // The session is left open (no close, no compaction on close); the page is dropped after.
    return { peak, end, state: Y.encodeStateAsUpdate(doc).length };
  },

  /**
   * One session of a workspace that is killed at its end: opens `name` (seeding `noteCount`
   * notes the first time), makes `edits` edits back to back, and returns once they are stored.
   * The caller then crashes the page: nothing closes the storage.
   */
  async killedSession(mode: Mode, name: string, edits: number, noteCount: number) {
    const doc = new Y.Doc();
    await open(mode, name, doc);
    if (doc.getMap('notes').size === 0) seed(doc, noteCount);
    const peak = await editBackToBack(doc, name, edits, edits);
    return { peak, state: Y.encodeStateAsUpdate(doc).length };
  },

  /**
   * Reopens `name` after a kill: stored bytes right after loading, and again once the page has
   * been idle `settleMs` (longer than either library's wait before it trims or compacts).
   */
  async reopen(mode: Mode, name: string, settleMs: number) {
    const doc = new Y.Doc();
    const handle = await open(mode, name, doc);
    const loaded = await bytesOf(name);
    await idle(settleMs);
    const settled = await bytesOf(name);
    const state = Y.encodeStateAsUpdate(doc).length;
    const notesLoaded = doc.getMap('notes').size;
    await handle.close();
    return { loaded, settled, state, notes: notesLoaded };
  },

  /**
   * Builds the stored rows of a workspace with `noteCount` notes, kept in memory for loads: as
   * stored plain, and the same document's state as stored sealed (its own compaction).
   */
  async prepareLoad(noteCount: number) {
    const name = `bench-load-source-${counter++}`;
    const doc = new Y.Doc();
    const storage = openDurableStorage(name, doc);
    await storage.whenLoaded;
    seed(doc, noteCount);
    await storage.compact();
    await storage.destroy();
    const plain = await rowsOf(name);
    const sealedName = `bench-load-sealed-${counter++}`;
    const sealedDoc = new Y.Doc();
    Y.applyUpdate(sealedDoc, Y.encodeStateAsUpdate(doc));
    const sealedStorage = openDurableStorage(sealedName, sealedDoc, {
      codec: sealedRows(await deriveAtRestKey(DATA_KEY, workspaceKeyInfo('bench')), SEALED_SCOPE),
    });
    await sealedStorage.whenLoaded;
    await sealedStorage.compact();
    await sealedStorage.destroy();
    const sealed = await rowsOf(sealedName);
    (window as unknown as { loadRows: unknown }).loadRows = { plain, sealed };
    return { rows: plain.rows.length, bytes: (plain.rows[0]![1] as Uint8Array).length };
  },

  /** Loads a fresh copy of the prepared rows; returns milliseconds until loaded. */
  async load(mode: Mode) {
    type Rows = { rows: Array<[IDBValidKey, unknown]>; custom: [IDBValidKey[], unknown[]] };
    const prepared = (window as unknown as { loadRows: { plain: Rows; sealed: Rows } }).loadRows;
    const { rows, custom } = mode === 'sealed' ? prepared.sealed : prepared.plain;
    const name = `bench-load-${mode}-${counter++}`;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onupgradeneeded = () => {
        request.result.createObjectStore('updates', { autoIncrement: true });
        request.result.createObjectStore('custom');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['updates', 'custom'], 'readwrite');
    rows.forEach(([key, row]) => tx.objectStore('updates').put(row, key));
    custom[0].forEach((key, index) => tx.objectStore('custom').put(custom[1][index], key));
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    const doc = new Y.Doc();
    const started = performance.now();
    const handle = await open(mode, name, doc);
    const ms = performance.now() - started;
    const loaded = doc.getMap('notes').size;
    await handle.close();
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = resolve;
      request.onerror = resolve;
      request.onblocked = resolve;
    });
    return { ms, notes: loaded };
  },
};

(window as unknown as { storageBench: typeof bench }).storageBench = bench;
document.title = 'ready';
