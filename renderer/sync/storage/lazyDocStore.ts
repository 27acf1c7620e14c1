/**
 * A workspace's lazy documents on this device (issue 18): each note body is a Yjs document of its
 * own, named by its note's id, stored as rows in the workspace's lazy document database
 * (lazyDocDb.ts) and loaded only while something holds it. A workspace of 100,000 notes then costs
 * memory for the notes open, not for every body.
 *
 * - Sync works on stored rows and metadata, never on loaded documents (the `LazyDocs` port,
 *   renderer/sync/peer/lazyDocs.ts): vectors are listed from metadata, a diff merges one
 *   document's rows, and a peer's update is checked, appended as a row and folded into the
 *   metadata without a Y.Doc (applied too when that document is loaded).
 * - The app loads a document (reference counted), reads one briefly for indexing, creates and
 *   deletes them. A change to a loaded document is written as a row, sealed, in the task it
 *   happened in, as the workspace's durable storage writes its own: a crash a second later keeps
 *   it. A document nobody holds stays loaded a short while (reopening a note is instant), and at
 *   most `maxLoaded` of those are kept, so memory is bounded by what is open.
 * - An edit whose write is not confirmed yet is also kept in a journal that `pagehide` writes to
 *   localStorage, since Chromium may drop an IndexedDB write started while the page unloads; the
 *   next store opened on the database stores what it holds before anything is read. A write
 *   IndexedDB refuses (a full disk) is reported and kept: its document stays loaded, and its edits
 *   are written again until stored (lazyDocUnsaved.ts).
 * - Rows are sealed with the workspace's at-rest key in a scope per document
 *   (`outpost-docs-<workspace id>/<document id>`), so a row moved from one document to another
 *   does not open. A row that cannot be opened or applied is set aside (kept, still sealed, and
 *   reported) and the rest loads; rows stored plain while the device seals are rewritten sealed.
 * - A document with many rows is compacted: one transaction replaces its rows by one merged row.
 *
 * It stores Yjs documents by id and knows nothing of notes: what it accepts from peers is the
 * opener's `accepts` predicate.
 */
import * as Y from 'yjs';
import type { AtRestKey } from '../../../shared/protocol/atRest';
import {
  PLAIN_ROWS,
  rowScope,
  sealedRows,
  type RowCodec,
} from '../../../shared/storage/sealedRows';
import { applyStoredRows, type SetAsideRow } from '../../../shared/storage/recovery';
import { isLazyDocId, LazyUpdateRefused } from '../peer/lazyDocs';
import { requestDone, transactionDone } from './idb';
import {
  ASIDE_STORE,
  LAZY_DOCS_DB_PREFIX,
  META_STORE,
  ROWS_STORE,
  deleteDocEntries,
  openLazyDocsDb,
  readAside,
  readDocRows,
} from './lazyDocDb';
import {
  EMPTY_META,
  asLazyDocMeta,
  decodeLazyUpdate,
  type UpdateShape,
  type LazyDocMeta,
} from './lazyDocMeta';
import {
  appendRow,
  compactRows,
  compactionDue,
  metaFromRows,
  readMeta,
  setAside,
} from './lazyDocRows';
import { asStored, openRows } from './openedRows';
import { createResidency, type Resident } from './lazyDocResidency';
import { openUnsavedDocsJournal } from './unsavedDocsJournal';
import { createUnsavedEdits } from './lazyDocUnsaved';
import { thisPage } from './unsavedJournal';
import { diffRows, listVectors, type StoredLazyDocVector } from './lazyDocReads';
import type { LazyDocProblem, LazyDocStore, LazyDocStoreOptions } from './lazyDocTypes';

export { VECTOR_PAGE, type StoredLazyDocVector } from './lazyDocReads';
export type { LazyDocProblem, LazyDocStore, LazyDocStoreOptions } from './lazyDocTypes';

/** The largest update a peer may send for one document: the wire's bound (peer/lazyWire.ts). */
export const MAX_LAZY_UPDATE_BYTES = 16 * 1024 * 1024;
export { RETRY_FIRST_MS } from './lazyDocUnsaved';

/** Opens the lazy documents of workspace `workspaceId`. */
export function openLazyDocStore(workspaceId: string, options: LazyDocStoreOptions): LazyDocStore {
  const name = LAZY_DOCS_DB_PREFIX + workspaceId;
  const compactDelayMs = options.compactDelayMs ?? 2000;
  const maxUpdateBytes = options.maxUpdateBytes ?? MAX_LAZY_UPDATE_BYTES;
  const schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms));
  const cancel = options.cancel ?? ((handle) => clearTimeout(handle as number));
  const now = options.now ?? Date.now;
  const origin = { lazyDocStore: name };
  const report =
    options.onProblem ??
    ((problem: LazyDocProblem) => console.error(`Lazy document ${problem.id}:`, problem));

  let key: AtRestKey | null = null;
  let db: IDBDatabase | null = null;
  const page = options.page ?? thisPage();
  // Every local edit until its write is confirmed; `pagehide` puts them in localStorage.
  const unsaved = createUnsavedEdits({
    journal: openUnsavedDocsJournal(name, page.storage, page.events, (id) => codecOf(id)),
    write: (id, update) => {
      const decoded = decodeLazyUpdate(update);
      const shape = decoded.ok ? decoded : { runs: null, deletes: true };
      return write([{ id, update, shape, exactDeletes: false }]);
    },
    report: (id, error) => report({ type: 'write-failed', id, message: messageOf(error) }),
    schedule,
    cancel,
    now,
    onRecovered: options.onSavesRecovered,
  });
  const ready = Promise.all([openLazyDocsDb(name), Promise.resolve(options.key)]).then(
    async ([opened, resolved]) => {
      key = resolved;
      db = opened;
      // Before anything reads a document: a body read or loaded sees what the last page left.
      await unsaved.storeLeft();
      return opened;
    },
  );
  // Kept from failing unobserved: every use awaits it and reports its error there.
  ready.catch(() => undefined);

  const loaded = createResidency({
    maxLoaded: options.maxLoaded ?? 32,
    graceMs: options.graceMs ?? 10_000,
    fill: loadRows,
    schedule,
    cancel,
    // Until its edits are stored they live only in it (and the journal).
    keep: (id) => unsaved.holds(id),
  });
  const listeners = new Set<(id: string, update: Uint8Array, origin: unknown) => void>();
  const due = new Set<string>();
  let compactTimer: unknown = null;
  let compacting: Promise<void> = Promise.resolve();
  const writes = new Set<Promise<unknown>>();
  let closed = false;

  const codecOf = (id: string): RowCodec =>
    key ? sealedRows(key, rowScope(name, id)) : PLAIN_ROWS;

  function emit(id: string, update: Uint8Array, from: unknown): void {
    for (const listener of listeners) listener(id, update, from);
  }

  function connection(): IDBDatabase {
    if (!db || closed) throw new Error(`The lazy documents of ${workspaceId} are closed.`);
    return db;
  }

  /**
   * Writes each update as a row of its document now (in the caller's task), all in one
   * transaction, and moves their metadata on; documents in `created` get an empty entry if they
   * have none. One update per document: two metadata updates of one document in one transaction
   * would each read the entry before the other wrote it.
   */
  function write(rows: readonly RowToWrite[], created: readonly string[] = []): Promise<void> {
    let tx: IDBTransaction;
    try {
      tx = connection().transaction([ROWS_STORE, META_STORE], 'readwrite');
    } catch (error) {
      // Never thrown into the editor's transaction (the database closed under it, say).
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const done = transactionDone(tx);
    const metas = rows.map(async ({ id, update, shape, exactDeletes }) => {
      const codec = codecOf(id);
      // IndexedDB stores a view's whole buffer: a plain row of a view into a bigger buffer (a
      // body read from a file or a message) would store all of that buffer.
      const own = update.byteLength === update.buffer.byteLength ? update : update.slice();
      const sealed = codec.seal('update', own);
      const next = await appendRow(tx, id, sealed, shape, exactDeletes, codec);
      // Compaction works the fingerprint of deletions out exactly again.
      return [id, next, shape.deletes && !exactDeletes] as const;
    });
    const meta = tx.objectStore(META_STORE);
    for (const id of created)
      void requestDone(meta.get(id)).then((stored: unknown) => {
        if (stored === undefined) meta.put(EMPTY_META, id);
      });
    const written = Promise.all([done, Promise.all(metas)]).then(([, nexts]) => {
      for (const [id, next, unknown] of nexts) if (unknown || compactionDue(next)) compactSoon(id);
    });
    writes.add(written);
    void written.finally(() => writes.delete(written)).catch(() => undefined);
    return written;
  }

  /** Applies data that is already stored, or stored by its receiver, without writing it again. */
  function applyQuietly(entry: Resident, apply: () => void): void {
    entry.quiet = true;
    try {
      apply();
    } finally {
      entry.quiet = false;
    }
  }

  function localChange(entry: Resident, update: Uint8Array, from: unknown): void {
    if (entry.quiet || from === origin || closed) return;
    unsaved.edit(entry.id, update);
    emit(entry.id, update, from);
  }

  async function loadRows(entry: Resident): Promise<void> {
    const database = await ready;
    const codec = codecOf(entry.id);
    const { keys, values } = await readDocRows(
      database.transaction([ROWS_STORE], 'readonly'),
      entry.id,
    );
    const opened = await openRows(codec, keys, values);
    if (loaded.get(entry.id) !== entry) return;
    let aside: SetAsideRow[] = [...opened.setAside];
    applyQuietly(entry, () => {
      const applied = applyStoredRows(entry.doc, opened.rows, origin);
      aside = aside.concat(applied.setAside.map((row) => asStored(row, opened.stored)));
      applyUnstored(entry);
    });
    const onUpdate = (update: Uint8Array, from: unknown) => localChange(entry, update, from);
    entry.doc.on('update', onUpdate);
    entry.detach = () => entry.doc.off('update', onUpdate);
    // The document opens with what could be read even when moving the rest aside fails (those
    // rows then stay where they are, and the next load tries again).
    if (aside.length > 0)
      await moveAside(entry.id, aside).catch((error: unknown) =>
        report({ type: 'write-failed', id: entry.id, message: messageOf(error) }),
      );
    if (opened.plainRows > 0) compactSoon(entry.id);
  }

  /** Edits of `entry` not stored yet (refused, or left by the last page and refused again). */
  function applyUnstored(entry: Resident): void {
    const unstored = unsaved.pending(entry.id);
    if (unstored.length === 0) return;
    try {
      Y.applyUpdate(entry.doc, Y.mergeUpdates(unstored), origin);
    } catch (error) {
      console.error(`Could not apply the unsaved changes of lazy document ${entry.id}`, error);
    }
  }

  async function moveAside(id: string, rows: readonly SetAsideRow[]): Promise<void> {
    report({ type: 'set-aside', id, rows: rows.map(({ value: _value, ...row }) => row) });
    const tx = connection().transaction([ROWS_STORE, META_STORE, ASIDE_STORE], 'readwrite');
    const done = transactionDone(tx);
    setAside(tx, id, rows, now());
    const stored = await readMeta(tx, id);
    tx.objectStore(META_STORE).put(
      await metaFromRows(tx, id, codecOf(id), stored?.stateBytes ?? 0),
      id,
    );
    await done;
  }

  function compactSoon(id: string): void {
    due.add(id);
    if (compactTimer !== null || closed) return;
    compactTimer = schedule(() => {
      compactTimer = null;
      void compactDue();
    }, compactDelayMs);
  }

  async function compactDue(): Promise<void> {
    for (const id of [...due]) await compact(id).catch(() => undefined);
  }

  function compact(id: string): Promise<void> {
    due.delete(id);
    compacting = compacting
      .then(() => compactNow(id))
      .catch((error: unknown) => {
        console.error(`Compacting lazy document ${id} failed`, error);
      });
    return compacting;
  }

  async function compactNow(id: string): Promise<void> {
    if (!db) await ready;
    const tx = connection().transaction([ROWS_STORE, META_STORE, ASIDE_STORE], 'readwrite');
    const done = transactionDone(tx);
    const result = await compactRows(tx, id, codecOf(id), origin, now());
    await done;
    if (result.setAside.length > 0)
      report({ type: 'set-aside', id, rows: result.setAside.map(({ value: _v, ...row }) => row) });
    // Rows another tab wrote reach this tab's copy too.
    const entry = loaded.get(id);
    const state = result.state;
    if (entry && state) applyQuietly(entry, () => Y.applyUpdate(entry.doc, state, origin));
  }

  function refuse(id: unknown, reason: string): never {
    const named = JSON.stringify(String(id).slice(0, 80));
    const message = `Refused an update for lazy document ${named}: ${reason}.`;
    console.warn(message);
    // The peer's fault (sync counts it against the peer); every other rejection is this device's.
    throw new LazyUpdateRefused(message);
  }

  async function receive(id: string, update: Uint8Array, from: unknown): Promise<void> {
    if (!isLazyDocId(id)) refuse(id, 'not a document id');
    if (!(update instanceof Uint8Array)) refuse(id, 'not bytes');
    if (update.length > maxUpdateBytes)
      refuse(id, `${update.length} bytes, more than ${maxUpdateBytes}`);
    if (!options.accepts(id)) refuse(id, 'not a document of this workspace');
    const decoded = decodeLazyUpdate(update);
    if (!decoded.ok) refuse(id, `it does not decode (${decoded.detail})`);
    if (decoded.empty) return;
    await ready;
    if (closed) throw new Error(`The lazy documents of ${workspaceId} are closed.`);
    const entry = loaded.get(id);
    if (entry) {
      try {
        applyQuietly(entry, () => Y.applyUpdate(entry.doc, update, from));
      } catch (error) {
        refuse(id, `it could not be applied (${messageOf(error)})`);
      }
    }
    await write([{ id, update, shape: decoded, exactDeletes: true }]);
    emit(id, update, from);
  }

  async function* vectors(): AsyncGenerator<readonly StoredLazyDocVector[]> {
    yield* listVectors(await ready, rebuildMeta);
  }

  /** Metadata that is not readable, worked out again from the rows. */
  async function rebuildMeta(id: string): Promise<LazyDocMeta> {
    const tx = connection().transaction([ROWS_STORE, META_STORE], 'readwrite');
    const done = transactionDone(tx);
    const meta = await metaFromRows(tx, id, codecOf(id), 0);
    tx.objectStore(META_STORE).put(meta, id);
    await done;
    return meta;
  }

  async function diff(
    id: string,
    vector: Uint8Array,
    deletes?: Uint8Array,
  ): Promise<Uint8Array | null> {
    if (!isLazyDocId(id)) return null;
    return diffRows(await ready, codecOf(id), id, vector, deletes);
  }

  /**
   * A document's whole state: a loaded one's (its edits are rows already), otherwise the merge of
   * its rows; when those do not merge, the document is loaded once (which sets the bad rows aside
   * and applies the rest), so what can be read is never left out.
   */
  async function encoded(id: string): Promise<Uint8Array | null> {
    if (!isLazyDocId(id)) return null;
    const entry = loaded.get(id);
    if (entry?.doc && entry.detach) return Y.encodeStateAsUpdate(entry.doc);
    const database = await ready;
    const merged = await diffRows(database, codecOf(id), id, EMPTY_VECTOR).catch(() => null);
    // Edits not stored yet are part of the document too.
    const unstored = unsaved.pending(id);
    if (merged) return unstored.length > 0 ? Y.mergeUpdates([merged, ...unstored]) : merged;
    const meta = await readStoredMeta(database, id);
    if (!meta || meta.rows === 0) return unstored.length > 0 ? Y.mergeUpdates(unstored) : null;
    const wasLoaded = loaded.get(id) !== undefined;
    const doc = await load(id);
    try {
      return doc.store.clients.size === 0 ? null : Y.encodeStateAsUpdate(doc);
    } finally {
      loaded.release(id, !wasLoaded);
    }
  }

  async function createMany(
    docs: Iterable<readonly [string, Uint8Array | undefined]>,
  ): Promise<void> {
    // Everything is checked before anything is written: a batch is stored whole or not at all.
    const byId = new Map<string, Uint8Array[]>();
    for (const [id, update] of docs) {
      if (!isLazyDocId(id)) throw new Error(`Not a lazy document id: ${JSON.stringify(id)}`);
      const updates = byId.get(id) ?? [];
      byId.set(id, updates);
      if (!update) continue;
      const decoded = decodeLazyUpdate(update);
      if (!decoded.ok) throw new Error(`The first content of ${id} does not decode.`);
      if (!decoded.empty) updates.push(update);
    }
    const rows: RowToWrite[] = [];
    const created: string[] = [];
    for (const [id, updates] of byId) {
      if (updates.length === 0) {
        created.push(id);
        continue;
      }
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      const decoded = decodeLazyUpdate(update);
      const shape = decoded.ok ? decoded : { runs: null, deletes: true };
      rows.push({ id, update, shape, exactDeletes: true });
    }
    await ready;
    for (const { id, update } of rows) {
      const entry = loaded.get(id);
      if (entry) applyQuietly(entry, () => Y.applyUpdate(entry.doc, update, origin));
    }
    await write(rows, created);
    for (const { id, update } of rows) emit(id, update, null);
  }

  async function remove(id: string): Promise<void> {
    loaded.evict(id);
    due.delete(id);
    // Its unstored edits go with it (a write of them under way may still land: deleted below).
    unsaved.forget(id);
    const database = await ready;
    const tx = database.transaction([ROWS_STORE, META_STORE, ASIDE_STORE], 'readwrite');
    const done = transactionDone(tx);
    tx.objectStore(META_STORE).delete(id);
    await Promise.all([
      deleteDocEntries(tx, ROWS_STORE, id),
      deleteDocEntries(tx, ASIDE_STORE, id),
    ]);
    await done;
  }

  function load(id: string): Promise<Y.Doc> {
    if (closed)
      return Promise.reject(new Error(`The lazy documents of ${workspaceId} are closed.`));
    if (!isLazyDocId(id)) return Promise.reject(new Error(`Not a lazy document id: ${id}`));
    return loaded.acquire(id);
  }

  return {
    name,
    origin,
    vectors,
    diff,
    accepts: (id) => isLazyDocId(id) && options.accepts(id),
    receive,
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load,
    release: (id) => loaded.release(id),
    async read(id, fn) {
      const wasLoaded = loaded.get(id) !== undefined;
      const doc = await load(id);
      try {
        return await fn(doc);
      } finally {
        loaded.release(id, !wasLoaded);
      }
    },
    create: (id, initialUpdate) => createMany([[id, initialUpdate]]),
    createMany,
    delete: remove,
    compact,
    async vector(id) {
      if (!isLazyDocId(id)) return null;
      const database = await ready;
      const tx = database.transaction([META_STORE], 'readonly');
      const meta = asLazyDocMeta(await requestDone(tx.objectStore(META_STORE).get(id)));
      return meta ? meta.vector : null;
    },
    async stored(id) {
      return readStoredMeta(await ready, id);
    },
    async setAside(id) {
      return readAside(await ready, id);
    },
    async flush() {
      const database = await ready;
      await Promise.allSettled([...writes]);
      await transactionDone(database.transaction([ROWS_STORE, META_STORE], 'readonly'));
    },
    encoded,
    loadedCount: () => loaded.count(),
    async close() {
      if (closed) return;
      if (compactTimer !== null) cancel(compactTimer);
      compactTimer = null;
      // Compactions that fell due run before closing, so storage stays bounded however often
      // the workspace is opened and closed.
      await compactDue().catch(() => undefined);
      await compacting;
      await Promise.allSettled([...writes]);
      // Refused edits get one more try; what still cannot be stored goes to localStorage, for the
      // next store opened on this database (the documents holding them are unloaded below).
      await ready.catch(() => undefined);
      await unsaved.close();
      closed = true;
      loaded.evictAll();
      listeners.clear();
      (await ready.catch(() => null))?.close();
    },
  };
}

/** The state vector of a document nobody has written to: everything of a document is missing. */
const EMPTY_VECTOR = new Uint8Array([0]);

async function readStoredMeta(database: IDBDatabase, id: string): Promise<LazyDocMeta | null> {
  const tx = database.transaction([META_STORE], 'readonly');
  return asLazyDocMeta(await requestDone(tx.objectStore(META_STORE).get(id)));
}

/** An update to write as a row of document `id`, with its shape (lazyDocMeta.ts). */
interface RowToWrite {
  readonly id: string;
  readonly update: Uint8Array;
  readonly shape: UpdateShape;
  /** Whether the fingerprint of deletions is worked out now (see `appendRow`). */
  readonly exactDeletes: boolean;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
