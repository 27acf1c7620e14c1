/**
 * The page bench/notes.ts serves beside the built app (same origin, so the same IndexedDB):
 * - `notesBench.stored(name)` reads a workspace database's rows (the state onboarding wrote);
 * - `notesBench.seed(name)` lays a workspace database out as Outpost leaves it after compaction
 *   (one row with the whole state in y-indexeddb's `updates` store, and the `outpost.verified`
 *   record with its SHA-256 in `custom`), from `state.bin` served beside this page;
 * - opened as `?bare=<name>`, it is the baseline: from navigation start, read the same rows the
 *   same way the app does (`openWorkspaceDb` + `readRows`) and decode them with bare Yjs
 *   (`Y.applyUpdate`), then publish the times on `window.bareResult`.
 */
import * as Y from 'yjs';
import {
  CUSTOM_STORE,
  UPDATES_STORE,
  VERIFIED_KEY,
  openWorkspaceDb,
  readRows,
  requestDone,
  transactionDone,
} from '../../renderer/sync/storage/idb';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return [...hash].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`Could not delete ${name}`));
    request.onblocked = () => reject(new Error(`Deleting ${name} is blocked by an open page`));
  });
}

const bench = {
  async stored(name: string): Promise<string[]> {
    const db = await openWorkspaceDb(name);
    try {
      const rows = await readRows(db);
      return rows.values.map((value) => toBase64(value as Uint8Array));
    } finally {
      db.close();
    }
  },

  async seed(name: string): Promise<{ bytes: number; key: number }> {
    const state = new Uint8Array(await (await fetch('./state.bin')).arrayBuffer());
    const digest = await sha256(state);
    await deleteDatabase(name);
    const db = await openWorkspaceDb(name);
    try {
      const tx = db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readwrite');
      const done = transactionDone(tx);
      const key = (await requestDone(tx.objectStore(UPDATES_STORE).add(state))) as number;
      tx.objectStore(CUSTOM_STORE).put({ key, bytes: state.length, sha256: digest }, VERIFIED_KEY);
      await done;
      return { bytes: state.length, key };
    } finally {
      db.close();
    }
  },
};

async function bare(name: string): Promise<void> {
  const db = await openWorkspaceDb(name);
  const rows = await readRows(db);
  const read = performance.now();
  const doc = new Y.Doc();
  for (const value of rows.values) Y.applyUpdate(doc, value as Uint8Array);
  const decoded = performance.now();
  db.close();
  (window as unknown as { bareResult: unknown }).bareResult = {
    readAt: read,
    decodeMs: decoded - read,
    doneAt: decoded,
    notes: doc.getMap('notes').size,
  };
}

(window as unknown as { notesBench: typeof bench }).notesBench = bench;
const bareName = new URLSearchParams(location.search).get('bare');
if (bareName) void bare(bareName);
document.title = 'ready';
