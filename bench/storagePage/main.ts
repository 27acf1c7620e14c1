/**
 * The page bench/storage.ts drives in Chromium: Outpost's durable storage and bare y-indexeddb
 * over real IndexedDB, doing the same opens, edits and loads. Exposed on window.storageBench.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { notes } from '../../shared/model';
import { openDurableStorage } from '../../renderer/sync/storage/durableStorage';
import { storedUpdateBytes } from '../../renderer/sync/storage/idb';

type Mode = 'outpost' | 'bare';
const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };
let counter = 0;

async function open(mode: Mode, name: string, doc: Y.Doc) {
  if (mode === 'bare') {
    const persistence = new IndexeddbPersistence(name, doc);
    await persistence.whenSynced;
    return { close: () => persistence.destroy() };
  }
  const storage = openDurableStorage(name, doc);
  await storage.whenLoaded;
  return { close: () => storage.destroy(), flush: () => storage.flush() };
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

async function stateSize(mode: Mode, name: string): Promise<number> {
  const doc = new Y.Doc();
  const handle = await open(mode, name, doc);
  const size = Y.encodeStateAsUpdate(doc).length;
  await handle.close();
  return size;
}

const bench = {
  /** Opens and closes a workspace `cycles` times; returns stored bytes / encoded state size. */
  async opens(mode: Mode, cycles: number, noteCount: number) {
    const name = `bench-opens-${mode}-${counter++}`;
    const first = new Y.Doc();
    const handle = await open(mode, name, first);
    seed(first, noteCount);
    await handle.close();
    for (let i = 0; i < cycles; i++) {
      const doc = new Y.Doc();
      const h = await open(mode, name, doc);
      await h.close();
      doc.destroy();
    }
    const stored = await bytesOf(name);
    const state = await stateSize(mode, name);
    return { ...stored, state, ratio: stored.bytes / state };
  },

  /** Makes `edits` edits (one transaction each) and closes; returns stored bytes / state size. */
  async edits(mode: Mode, edits: number, noteCount: number) {
    const name = `bench-edits-${mode}-${counter++}`;
    const doc = new Y.Doc();
    const handle = await open(mode, name, doc);
    const ids = seed(doc, noteCount);
    for (let i = 0; i < edits; i++) {
      notes.update(doc, ctx, ids[i % ids.length]!, {
        title: `Edit ${i} of ${ids[i % ids.length]}`,
      });
      if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await handle.close();
    const stored = await bytesOf(name);
    const state = await stateSize(mode, name);
    return { ...stored, state, ratio: stored.bytes / state };
  },

  /** Builds the stored rows of a workspace with `noteCount` notes, kept in memory for loads. */
  async prepareLoad(noteCount: number) {
    const name = `bench-load-source-${counter++}`;
    const doc = new Y.Doc();
    const storage = openDurableStorage(name, doc);
    await storage.whenLoaded;
    seed(doc, noteCount);
    await storage.compact();
    await storage.destroy();
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
    (window as unknown as { loadRows: unknown }).loadRows = { rows, custom };
    return { rows: rows.length, bytes: (rows[0]![1] as Uint8Array).length };
  },

  /** Loads a fresh copy of the prepared rows; returns milliseconds until loaded. */
  async load(mode: Mode) {
    const { rows, custom } = (
      window as unknown as {
        loadRows: { rows: Array<[IDBValidKey, unknown]>; custom: [IDBValidKey[], unknown[]] };
      }
    ).loadRows;
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
