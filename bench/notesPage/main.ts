/**
 * The page bench/notes.ts serves beside the built app (same origin, so the same IndexedDB):
 * - `notesBench.stored(name)` reads a workspace database's rows (the state onboarding wrote);
 * - `notesBench.seed(name)` lays a workspace database out as Outpost leaves it after moving it to
 *   body documents and compacting it (schema 2: one row with the lean root in y-indexeddb's
 *   `updates` store, the `outpost.verified` record with its SHA-256 and the layout marker in
 *   `custom`; the bodies stored by the app's lazy document store), from `root.bin` and
 *   `bodies.bin` served beside this page (bench/seedFiles.ts cuts them from the corpus). The
 *   bodies are stored again only when they differ from the last seed's: opening the list and a
 *   note writes none of them. It also lays out the baseline's database (`bare-<name>`): one row
 *   with the whole state as one document, from `state.bin`;
 * - opened as `?bare=<name>`, it is the baseline: from navigation start, read the same rows the
 *   same way the app does (`openWorkspaceDb` + `readRows`) of that database and decode them with
 *   bare Yjs (`Y.applyUpdate`) as one document, then publish the times on `window.bareResult`.
 */
import * as Y from 'yjs';
import {
  WORKSPACE_DB_PREFIX,
  digestHex,
  openWorkspaceDb,
  readRows,
  writeStateRow,
} from '../../renderer/sync/storage/idb';
import { LAYOUT_KEY } from '../../renderer/sync/storage/bodiesMigration';
import { LAZY_DOCS_DB_PREFIX } from '../../renderer/sync/storage/lazyDocDb';
import { NOTES_INDEX_DB_PREFIX } from '../../renderer/sync/storage/indexDb';
import { openLazyDocStore } from '../../renderer/sync/storage/lazyDocStore';
import { readSeedBodies } from '../seedBodies';

const BARE_PREFIX = 'bare-';
/** Bodies stored per transaction while seeding. */
const SEED_BATCH = 5000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
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
    const [state, root, bodies] = await Promise.all(
      ['state.bin', 'root.bin', 'bodies.bin'].map(
        async (file) => new Uint8Array(await (await fetch(`./${file}`)).arrayBuffer()),
      ),
    );
    await storeOneRow(BARE_PREFIX + name, state!);
    const stored = await storeOneRow(name, root!, { schemaVersion: 2, at: Date.now() });
    await seedBodies(name.slice(WORKSPACE_DB_PREFIX.length), bodies!);
    return stored;
  },
};

/** Database `name` holding one verified row (and the layout marker), as after a compaction. */
async function storeOneRow(
  name: string,
  row: Uint8Array,
  layout?: unknown,
): Promise<{ bytes: number; key: number }> {
  await deleteDatabase(name);
  const db = await openWorkspaceDb(name);
  try {
    const custom = new Map(layout === undefined ? [] : [[LAYOUT_KEY, layout]]);
    const { bytes, key } = await writeStateRow(db, row, { custom });
    return { bytes, key };
  } finally {
    db.close();
  }
}

/**
 * The workspace's bodies in its lazy document store, unless the last seed stored the same. Other
 * bodies mean another workspace: the list's first screen and the search index stored for the last
 * one go too, as they would not be this workspace's (its first open stores them afresh).
 */
async function seedBodies(workspaceId: string, bodies: Uint8Array): Promise<void> {
  const marker = `bench-bodies-${workspaceId}`;
  const digest = await digestHex(bodies);
  if (localStorage.getItem(marker) === digest) return;
  localStorage.removeItem(marker);
  await deleteDatabase(NOTES_INDEX_DB_PREFIX + workspaceId);
  await deleteDatabase(LAZY_DOCS_DB_PREFIX + workspaceId);
  const store = openLazyDocStore(workspaceId, { key: null, accepts: () => true });
  try {
    let batch: [string, Uint8Array][] = [];
    for (const entry of readSeedBodies(bodies)) {
      batch.push(entry);
      if (batch.length < SEED_BATCH) continue;
      await store.createMany(batch);
      batch = [];
    }
    if (batch.length > 0) await store.createMany(batch);
    await store.flush();
  } finally {
    await store.close();
  }
  localStorage.setItem(marker, digest);
}

async function bare(name: string): Promise<void> {
  const db = await openWorkspaceDb(BARE_PREFIX + name);
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
