/**
 * A workspace's local storage: y-indexeddb (which writes every change as a row the moment it
 * happens) with Outpost's loading and compaction around it.
 *
 * y-indexeddb 9's own load applies every stored row in one go with no error handling: one row that
 * cannot be read throws inside its promise chain, `synced` never fires and the workspace never
 * opens. It also adds a full copy of the state as a new row on every open and trims only past 500
 * rows, so storage grows without bound. So:
 * - y-indexeddb is told to load nothing (its `_dbref` cursor is set past every row before its
 *   database opens, and it is created on an empty stand-in document before being moved onto the
 *   real one, so its start-up row is the empty state, two bytes, and loading need not wait for
 *   it), and this module loads the rows itself, one at a time, setting aside (never deleting) any
 *   row that cannot be applied. Loaded rows are applied with y-indexeddb's own origin, so they
 *   are not stored twice.
 * - Compaction replaces every row by one row of the merged state in a single IndexedDB
 *   transaction, after first applying rows it had not seen (another tab's, or changes made while
 *   it ran), so it never drops a change. That row's SHA-256 is recorded, so the next load trusts it
 *   without decoding it twice.
 * - `flush()` and the save state tell when every change made so far is on disk: a read-only
 *   transaction created after y-indexeddb's write of a change completes only after that write.
 * - Changes not yet confirmed on disk when the page goes away are also written to localStorage
 *   (unsavedJournal.ts), because a browser may drop IndexedDB writes started while a page unloads;
 *   the next load applies them.
 * - A row IndexedDB refuses (a full disk) is noticed: the save state turns `failed`, the change
 *   stays in the journal, and it is written again with the next change or on a backoff timer
 *   (refusedWrites.ts, shared with the note bodies' store) until stored, or until a compaction
 *   stores the whole state; then the save state turns `saved`. Closing tries once more and leaves
 *   what is still refused in the journal, for the next page.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import {
  applyStoredRows,
  rowBytes,
  rowSize,
  type SetAsideRow,
  type StoredRow,
} from '../../../shared/storage/recovery';
import {
  CUSTOM_STORE,
  SET_ASIDE_PREFIX,
  UPDATES_STORE,
  VERIFIED_KEY,
  digestHex,
  openWorkspaceDb,
  readRows,
  readSetAside,
  requestDone,
  storedUpdateBytes,
  transactionDone,
} from './idb';
import { openUnsavedJournal, thisPage } from './unsavedJournal';
import { createRefusedWrites } from './refusedWrites';
import { PLAIN_ROWS } from '../../../shared/storage/sealedRows';
import { asStored, openRows, openRowsNow, sealSetAside } from './openedRows';
import { createCompactionSchedule } from './compactionSchedule';
import type {
  CompactionResult,
  DurableStorage,
  DurableStorageOptions,
  LoadProgress,
  LoadReport,
  SaveState,
} from './durableTypes';

/** The origin of changes applied from the journal the previous page left. */
const JOURNAL_ORIGIN = 'outpost:journal';
/** The root is one document: the key of its refused writes. */
const ROOT = 'root';

/** The y-indexeddb 9.0.x fields this module steers (see the module comment). */
interface YIndexeddbInternals {
  _dbref: number;
  _storeUpdate: (update: Uint8Array, origin: unknown) => void;
}

/** Lets the page paint without the 1 s floor browsers put on timers in background tabs. */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const CHUNK_BYTES = 256 * 1024;
const CHUNK_ROWS = 200;

/** Opens durable storage for `doc` in the IndexedDB database `name`. */
export function openDurableStorage(
  name: string,
  doc: Y.Doc,
  options: DurableStorageOptions = {},
): DurableStorage {
  const now = options.now ?? Date.now;
  const sliceMs = options.sliceMs ?? 40;
  const codec = options.codec ?? PLAIN_ROWS;

  // y-indexeddb starts on an empty stand-in document and is moved onto `doc` at once: when its
  // database has opened it writes a copy of the document it was given as a start-up row, and the
  // stand-in keeps that copy two bytes, so this loader need not wait for it before applying rows.
  const standIn = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, standIn);
  const internals = persistence as unknown as YIndexeddbInternals;
  internals._dbref = Number.MAX_SAFE_INTEGER;
  standIn.off('update', internals._storeUpdate);
  standIn.off('destroy', persistence.destroy);
  persistence.doc = doc;
  // Each change is written as a row here rather than by y-indexeddb's own writer, so that it is
  // sealed first (in the same task, as y-indexeddb wrote it), its refusal is noticed, and
  // y-indexeddb's trimming, which would read and rewrite rows itself, never starts. Same
  // connection, same store, same moment. It is in the journal until its row is stored.
  const storeRow = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return;
    journal.add(update);
    const written = refused.write(ROOT, [update]).catch(saveFailed);
    writes.add(written);
    void written.finally(() => writes.delete(written));
  };
  doc.on('update', storeRow);
  doc.on('destroy', persistence.destroy);
  const dbPromise = (options.db ? Promise.resolve(options.db) : openWorkspaceDb(name)).then(
    (db) => {
      // Someone deleting or upgrading the database (a restore) must not be blocked by us.
      db.onversionchange = () => db.close();
      return db;
    },
  );

  let destroyed = false;
  let lastReadKey: number | null = null;
  const schedule = createCompactionSchedule(
    () => void compact().catch((error: unknown) => console.error('Compaction failed', error)),
    now,
    options,
  );
  let checkTimer: ReturnType<typeof setTimeout> | null = null;
  let compacting: Promise<CompactionResult> | null = null;
  let save: SaveState = { state: 'saved', at: now() };
  const saveListeners = new Set<(state: SaveState) => void>();
  const page = options.page ?? thisPage();
  const journal = openUnsavedJournal(name, page.storage, page.events, codec);
  let changeSeq = 0;
  let flushScheduled = false;
  /** Row writes under way (a flush waits for them to settle). */
  const writes = new Set<Promise<void>>();
  /** Whether the journal the previous page left waits for its refused changes to be stored. */
  let leftUnstored = false;
  const refused = createRefusedWrites<typeof ROOT>({
    write: (_root, update) => writeRow(update),
    stored: (_root, updates) => journal.confirm(updates),
    unsaved: () => journal.pending(),
    schedule: options.schedule ?? ((run, ms) => setTimeout(run, ms)),
    cancel: options.cancel ?? ((handle) => clearTimeout(handle as number)),
    now,
    onRecovered() {
      if (leftUnstored) journal.clearLeft();
      leftUnstored = false;
      scheduleSaveCheck();
    },
  });

  const setSave = (next: SaveState) => {
    save = next;
    for (const listener of saveListeners) listener(next);
  };

  /** A row write or a flush failed: told once per message, until the saves recover. */
  function saveFailed(error: unknown): void {
    const { message } = asError(error);
    if (destroyed || (save.state === 'failed' && save.message === message)) return;
    setSave({ state: 'failed', message });
  }

  /** Writes `update` as one sealed row in a transaction of its own, started in the caller's task. */
  function writeRow(update: Uint8Array): Promise<void> {
    const connection = persistence.db;
    // Nobody changes the document before the database is open (see `whenLoaded`); should anyone,
    // the row waits for it.
    if (!connection) return persistence.whenSynced.then(() => writeRow(update));
    let tx: IDBTransaction;
    try {
      tx = connection.transaction([UPDATES_STORE], 'readwrite');
    } catch (error) {
      return Promise.reject(asError(error));
    }
    const done = transactionDone(tx);
    try {
      tx.objectStore(UPDATES_STORE).add(codec.seal('update', update));
    } catch (error) {
      // Refused before the request started: the transaction ends with nothing written.
      tx.abort();
      void done.catch(() => undefined);
      return Promise.reject(asError(error));
    }
    return done;
  }

  const report = (progress: LoadProgress) => options.onProgress?.(progress);

  const whenLoaded = (async (): Promise<LoadReport> => {
    const startedAt = performance.now();
    const progress = (
      phase: LoadProgress['phase'],
      rowsDone: number,
      rowsTotal: number,
      bytesDone: number,
      bytesTotal: number,
    ) => report({ phase, rowsDone, rowsTotal, bytesDone, bytesTotal, startedAt });
    progress('reading', 0, 0, 0, 0);
    const db = await dbPromise;
    await codec.ready;
    const stored = await readRows(db);
    performance.mark('outpost:rows-read');
    const bytesTotal = stored.values.reduce<number>((sum, value) => sum + rowSize(value), 0);
    progress('checking', 0, stored.keys.length, 0, bytesTotal);
    // What is set aside is always the row as stored (sealed), never its opened content.
    const {
      rows,
      setAside,
      plainRows,
      stored: storedValues,
    } = await openRows(codec, stored.keys, stored.values);
    const rowCount = stored.keys.length;
    performance.mark('outpost:rows-opened');

    // The row compaction last wrote, when it is still there whole; its digest is computed off
    // the main thread.
    const verified = stored.verified;
    const verifiedRow = verified ? rows.find((candidate) => candidate.key === verified.key) : null;
    const verifiedBytes = verifiedRow ? rowBytes(storedValues.get(verifiedRow.key)) : null;
    const recordedKey =
      verified && verifiedBytes && verifiedBytes.length === verified.bytes ? verified.key : null;
    let digested: Promise<string> | null = null;
    const matches = async () => {
      if (!verifiedBytes || recordedKey === null) return false;
      digested ??= digestHex(verifiedBytes);
      return (await digested) === verified?.sha256;
    };
    // Applied without decoding it first: once its digest matched, or, when the caller can throw
    // the document away if it then fails (`applyBeforeCheck`), with the digest checked after.
    const appliedAsTrusted =
      recordedKey !== null && (options.applyBeforeCheck || (await matches())) ? recordedKey : null;
    const ordered =
      appliedAsTrusted === null
        ? rows
        : [
            ...rows.filter((r) => r.key === appliedAsTrusted),
            ...rows.filter((r) => r.key !== appliedAsTrusted),
          ];

    let rowsDone = 0;
    let bytesDone = 0;
    // What the page has queued (IndexedDB callbacks, its first paint) goes before the long apply.
    await yieldToPage();
    let sliceStarted = performance.now();
    while (rowsDone < ordered.length && !destroyed) {
      const chunk: StoredRow[] = [];
      let chunkBytes = 0;
      while (
        rowsDone + chunk.length < ordered.length &&
        chunk.length < CHUNK_ROWS &&
        (chunk.length === 0 || chunkBytes < CHUNK_BYTES)
      ) {
        const row = ordered[rowsDone + chunk.length]!;
        chunk.push(row);
        chunkBytes += rowSize(storedValues.get(row.key));
      }
      const applied = applyQuietly(chunk, appliedAsTrusted);
      setAside.push(...applied.setAside.map((row) => asStored(row, storedValues)));
      rowsDone += chunk.length;
      bytesDone += chunkBytes;
      if (rowsDone < ordered.length && performance.now() - sliceStarted > sliceMs) {
        progress('applying', rowsDone, ordered.length, bytesDone, bytesTotal);
        await yieldToPage();
        sliceStarted = performance.now();
      }
    }
    performance.mark('outpost:rows-applied');
    if (options.applyBeforeCheck && setAside.some((row) => row.key === appliedAsTrusted)) {
      // That row broke off part-way: the document may hold part of it. Nothing is written.
      progress('done', rowCount, rowCount, bytesTotal, bytesTotal);
      return {
        rows: rowCount,
        bytes: bytesTotal,
        setAside: [],
        setAsideKept: true,
        ms: performance.now() - startedAt,
        abandoned: true,
      };
    }
    // y-indexeddb stores changes only once its own connection is open: nobody may change the
    // document before that.
    await persistence.whenSynced;
    lastReadKey = stored.keys.length > 0 ? stored.keys[stored.keys.length - 1]! : null;

    let setAsideKept = true;
    if (setAside.length > 0 && !destroyed) {
      try {
        const tx = db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readwrite');
        const done = transactionDone(tx);
        writeSetAside(tx, setAside, now());
        await done;
      } catch (error) {
        setAsideKept = false;
        console.error('Could not move damaged rows aside', error);
      }
    }

    const goodBytes = bytesTotal - setAside.reduce((sum, row) => sum + row.bytes, 0);
    const stateBytes = appliedAsTrusted !== null && verified ? verified.bytes : goodBytes;
    schedule.reset({
      stateBytes,
      bytesSince: Math.max(0, goodBytes - stateBytes),
      rowsSince: Math.max(0, rowCount - setAside.length - 1),
    });
    const result: LoadReport = {
      rows: rowCount,
      bytes: bytesTotal,
      setAside: setAside.map(({ key, bytes, problem, detail }) => ({
        key,
        bytes,
        problem,
        detail,
      })),
      setAsideKept,
      ms: performance.now() - startedAt,
    };
    progress('done', rowCount, rowCount, bytesTotal, bytesTotal);
    applyJournalLeft();
    // Rows an earlier version (or a device without a key) stored plain are rewritten sealed at
    // once: compaction replaces every row in one transaction, so an interrupted migration is
    // simply done again at the next open.
    if (plainRows > 0) schedule.schedule(true);
    else if (rowCount - setAside.length > 1 || (rowCount > 0 && appliedAsTrusted === null))
      schedule.schedule();
    else if (appliedAsTrusted !== null && options.applyBeforeCheck) {
      // Whether the row compaction recorded is still what it wrote; if not, compaction writes (and
      // records) a fresh one. Only that decision waits for the digest, so it is computed once
      // start-up is over: in Chromium hashing 10 MB holds the page's thread for ~35 ms.
      checkTimer = setTimeout(() => {
        checkTimer = null;
        void matches().then((ok) => {
          if (!ok) schedule.schedule();
        });
      }, schedule.delayMs);
    }
    return result;
  })();

  /**
   * Applies stored rows with the two 'update' listeners that ignore this origin (y-indexeddb's
   * writer and the save state below) detached for the synchronous call: with no listener left, Yjs
   * skips encoding the applied rows back into an update message, which for a large workspace is
   * as much work again as decoding them. Listeners of others stay attached (and get the update).
   */
  function applyQuietly(rows: readonly StoredRow[], trusted: number | null) {
    doc.off('update', storeRow);
    doc.off('update', onUpdate);
    try {
      return applyStoredRows(doc, rows, persistence, trusted);
    } finally {
      doc.on('update', storeRow);
      doc.on('update', onUpdate);
    }
  }

  function writeSetAside(tx: IDBTransaction, rows: readonly SetAsideRow[], at: number): void {
    const updates = tx.objectStore(UPDATES_STORE);
    const custom = tx.objectStore(CUSTOM_STORE);
    for (const row of rows) {
      custom.put(
        {
          rowKey: row.key,
          at,
          bytes: row.bytes,
          problem: row.problem,
          detail: row.detail,
          value: row.value,
        },
        `${SET_ASIDE_PREFIX}${at}.${row.key}`,
      );
      updates.delete(row.key);
    }
  }

  async function compactNow(): Promise<CompactionResult> {
    const db = await dbPromise;
    await whenLoaded;
    if (destroyed) return { rowsBefore: 0, stateBytes: schedule.stateBytes(), setAside: 0 };
    const tx = db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readwrite');
    const done = transactionDone(tx);
    // A request refused below throws first, and the transaction's end is then awaited by nobody.
    void done.catch(() => undefined);
    const updates = tx.objectStore(UPDATES_STORE);
    // Only request callbacks below, so the transaction stays active until the swap is written.
    const range = lastReadKey === null ? undefined : IDBKeyRange.lowerBound(lastReadKey, true);
    const [keys, values, count] = await Promise.all([
      requestDone(updates.getAllKeys(range)),
      requestDone(updates.getAll(range)),
      requestDone(updates.count()),
    ]);
    const {
      rows: unseen,
      setAside,
      stored: storedValues,
    } = openRowsNow(codec, keys as number[], values);
    const applied = applyStoredRows(doc, unseen, persistence);
    setAside.push(...applied.setAside.map((row) => asStored(row, storedValues)));
    if (setAside.length > 0) writeSetAside(tx, setAside, now());
    // Rows set aside by an earlier version were kept plain: sealed here like everything else.
    await sealSetAside(tx, CUSTOM_STORE, codec);
    // Every change made so far is in the state: once it is stored, so are they (refused or not).
    const covered = journal.pending();
    const state = codec.seal('state', Y.encodeStateAsUpdate(doc));
    const key = (await requestDone(updates.add(state))) as number;
    updates.delete(IDBKeyRange.upperBound(key, true));
    // The old record names a row that is gone; the new one is written once its digest is known
    // (a crash in between only means the next load checks the row instead of trusting it).
    tx.objectStore(CUSTOM_STORE).delete(VERIFIED_KEY);
    await done;
    journal.confirm(covered);
    refused.settle(ROOT, covered);
    const sha256 = await digestHex(state);
    const mark = db.transaction([CUSTOM_STORE], 'readwrite');
    const marked = transactionDone(mark);
    mark.objectStore(CUSTOM_STORE).put({ key, bytes: state.length, sha256 }, VERIFIED_KEY);
    await marked;
    lastReadKey = key;
    schedule.reset({ stateBytes: state.length, bytesSince: 0, rowsSince: 0 });
    return { rowsBefore: count, stateBytes: state.length, setAside: setAside.length };
  }

  function compact(): Promise<CompactionResult> {
    schedule.started();
    compacting ??= compactNow().finally(() => {
      compacting = null;
    });
    return compacting;
  }

  function flush(): Promise<void> {
    return dbPromise.then(async (db) => {
      await persistence.whenSynced;
      // A refused row is kept by the time its write settles.
      await Promise.allSettled([...writes]);
      if (destroyed) return;
      // Created after the write transactions of every change so far, so it completes only after
      // they have committed.
      const tx = db.transaction([UPDATES_STORE], 'readonly');
      await transactionDone(tx);
    });
  }

  /** Applies the changes the previous page could not confirm as stored (see unsavedJournal.ts). */
  function applyJournalLeft(): void {
    const left = journal.left();
    if (!left || destroyed) return;
    try {
      Y.applyUpdate(doc, left, JOURNAL_ORIGIN);
    } catch (error) {
      console.error('Could not apply the changes left unconfirmed by the last session', error);
      journal.clearLeft();
      return;
    }
    flush().then(
      () => {
        // Its changes refused too: forgotten once stored (closing journals them again meanwhile).
        if (refused.failing()) leftUnstored = true;
        else journal.clearLeft();
      },
      () => undefined,
    );
  }

  function scheduleSaveCheck(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(() => {
      flushScheduled = false;
      const seq = changeSeq;
      // Each row's write confirms its change in the journal; refused ones keep it `failed`.
      flush().then(() => {
        if (seq === changeSeq && !destroyed && !refused.failing())
          setSave({ state: 'saved', at: now() });
      }, saveFailed);
    });
  }

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence || destroyed) return;
    changeSeq++;
    // While refused changes wait for a retry the state stays `failed`: they are not saved.
    if (save.state !== 'saving' && !refused.failing()) setSave({ state: 'saving' });
    scheduleSaveCheck();
    schedule.changed(update.length);
  };
  doc.on('update', onUpdate);

  return {
    codec,
    origin: persistence,
    whenLoaded,
    flush,
    saveState: () => save,
    onSaveState(listener) {
      saveListeners.add(listener);
      return () => saveListeners.delete(listener);
    },
    compact,
    storedBytes: () => dbPromise.then(storedUpdateBytes),
    setAside: () => dbPromise.then(readSetAside),
    async destroy() {
      if (destroyed) return;
      // A compaction that was due runs before closing, so storage stays bounded however often
      // the workspace is opened and closed.
      const due = schedule.cancel();
      // A digest not checked yet is checked at the next load.
      if (checkTimer !== null) clearTimeout(checkTimer);
      checkTimer = null;
      if (due) await compact().catch(() => undefined);
      await compacting?.catch(() => undefined);
      // Refused changes get one more try; what is still refused goes to localStorage, for the
      // next page (which applies it as it applies what an unloading page left).
      await refused.close();
      await Promise.allSettled([...writes]);
      if (refused.failing()) journal.write();
      destroyed = true;
      journal.dispose();
      doc.off('update', onUpdate);
      doc.off('update', storeRow);
      saveListeners.clear();
      await whenLoaded.catch(() => undefined);
      await persistence.destroy();
      (await dbPromise).close();
    },
  };
}
