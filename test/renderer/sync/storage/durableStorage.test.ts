// @vitest-environment happy-dom
/**
 * Durable storage over IndexedDB (fake-indexeddb, the browser's database being the edge): what is
 * saved loads again, a due compaction leaves one row, and a row that cannot be read is set aside
 * and reported while the rest loads, and a change whose row IndexedDB refuses (a full disk) is
 * kept, told and written again until stored, or left for the next page when it closes — each with
 * rows stored plain and with rows sealed at rest. localStorage and the window are faked as in
 * lazyDocStoreUnsaved.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { openDurableStorage } from '../../../../renderer/sync/storage/durableStorage';
import type {
  DurableStorage,
  DurableStorageOptions,
} from '../../../../renderer/sync/storage/durableTypes';
import { RETRY_FIRST_MS } from '../../../../renderer/sync/storage/refusedWrites';
import { JOURNAL_PREFIX } from '../../../../renderer/sync/storage/unsavedJournal';
import {
  UPDATES_STORE,
  openWorkspaceDb,
  requestDone,
  transactionDone,
} from '../../../../renderer/sync/storage/idb';
import type { SaveState } from '../../../../renderer/sync/storage/durableTypes';
import { deriveAtRestKey, newDataKey } from '../../../../shared/protocol/atRest';
import { rowScope, sealedRows, type RowCodec } from '../../../../shared/storage/sealedRows';
import { manualTime } from './manualTime';
import { memoryStorage, pageHide, refuseRows } from './refusedRows';

let dbCount = 0;
const opened: DurableStorage[] = [];

let codec: RowCodec | undefined;

function open(name: string, doc = new Y.Doc(), options: DurableStorageOptions = {}) {
  const storage = openDurableStorage(name, doc, { ...options, ...(codec ? { codec } : {}) });
  opened.push(storage);
  return { doc, storage };
}

/** Each test its own database. */
function freshName(): string {
  dbCount += 1;
  return `outpost-ws-durable-test-${dbCount}`;
}

/** The name the test about to run will get (its rows are sealed in that scope). */
function freshNameAhead(): string {
  return `outpost-ws-durable-test-${dbCount + 1}`;
}

async function rowCount(name: string): Promise<number> {
  const db = await openWorkspaceDb(name);
  try {
    const tx = db.transaction([UPDATES_STORE], 'readonly');
    return await requestDone(tx.objectStore(UPDATES_STORE).count());
  } finally {
    db.close();
  }
}

/** What a storage opened afresh on database `name` holds, with no journal to apply. */
async function storedNotes(name: string): Promise<Record<string, unknown>> {
  const { doc, storage } = open(name, new Y.Doc(), { page: { storage: null, events: null } });
  await storage.whenLoaded;
  await storage.destroy();
  return doc.getMap('notes').toJSON();
}

/** Whether a row of workspace database `name` is being added. */
const rowOf = (name: string) => (store: IDBObjectStore) =>
  store.name === UPDATES_STORE && store.transaction.db.name === name;

/**
 * A storage opened on a fresh database with a faked page and a clock the test moves (refused rows
 * are written again on it), loaded; no compaction (which stores the whole state) runs meanwhile.
 */
async function openOnFakedPage() {
  const name = freshName();
  const local = memoryStorage();
  const page = new EventTarget();
  const time = manualTime();
  const first = open(name, new Y.Doc(), {
    page: { storage: local, events: page },
    schedule: time.schedule,
    cancel: time.cancel,
    now: time.now,
    compactDelayMs: 3_600_000,
  });
  await first.storage.whenLoaded;
  return { name, local, page, time, ...first };
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const storage of opened.splice(0)) await storage.destroy();
});

const sealed = async (name: string) =>
  sealedRows(await deriveAtRestKey(newDataKey(), 'workspace:test'), rowScope(name));

describe.each([
  ['stored plain', () => Promise.resolve(undefined)],
  ['sealed at rest', sealed],
] as const)('durable storage, %s', (_label, codecFor) => {
  beforeEach(async () => {
    codec = await codecFor(freshNameAhead());
  });

  it('loads what an earlier session saved', async () => {
    const name = freshName();
    const first = open(name);
    await first.storage.whenLoaded;
    const states: SaveState['state'][] = [];
    const saved = new Promise<void>((resolve) =>
      first.storage.onSaveState((state) => {
        states.push(state.state);
        if (state.state === 'saved') resolve();
      }),
    );
    first.doc.getMap('notes').set('a', 'first');
    first.doc.getMap('notes').set('b', 'second');
    await saved;
    expect(states).toEqual(['saving', 'saved']);
    expect(first.storage.saveState().state).toBe('saved');
    await first.storage.destroy();

    const again = open(name);
    const report = await again.storage.whenLoaded;
    expect(report.setAside).toEqual([]);
    expect(again.doc.getMap('notes').toJSON()).toEqual({ a: 'first', b: 'second' });
  });

  it('compacts every row into one, and loads from it', async () => {
    const name = freshName();
    const first = open(name);
    await first.storage.whenLoaded;
    for (let i = 0; i < 20; i++) first.doc.getMap('notes').set(`n${i}`, i);
    await first.storage.flush();
    expect(await rowCount(name)).toBeGreaterThan(20);
    const result = await first.storage.compact();
    expect(result.rowsBefore).toBeGreaterThan(20);
    expect((await first.storage.storedBytes()).rows).toBe(1);
    await first.storage.destroy();
    expect(await rowCount(name)).toBe(1);

    const again = open(name);
    await again.storage.whenLoaded;
    expect(again.doc.getMap('notes').get('n19')).toBe(19);
  });

  it('runs a compaction that became due before it closes', async () => {
    const name = freshName();
    // Due after three rows; the pause before it is far longer than this test.
    const first = open(name, new Y.Doc(), {
      maxRowsBetweenCompactions: 3,
      compactDelayMs: 3_600_000,
    });
    await first.storage.whenLoaded;
    for (let i = 0; i < 5; i++) first.doc.getMap('notes').set(`n${i}`, i);
    await first.storage.flush();
    expect(await rowCount(name)).toBeGreaterThan(3);
    await first.storage.destroy();
    expect(await rowCount(name)).toBe(1);
  });

  it('sets a row that cannot be read aside and reports it, loading the rest', async () => {
    const name = freshName();
    const first = open(name);
    await first.storage.whenLoaded;
    first.doc.getMap('notes').set('kept', 'yes');
    await first.storage.flush();
    await first.storage.destroy();
    const db = await openWorkspaceDb(name);
    const tx = db.transaction([UPDATES_STORE], 'readwrite');
    tx.objectStore(UPDATES_STORE).add(new Uint8Array([255, 1, 2, 3, 4, 5]));
    await transactionDone(tx);
    db.close();

    const again = open(name);
    const report = await again.storage.whenLoaded;
    expect(report.setAside).toHaveLength(1);
    expect(report.setAside[0]?.bytes).toBe(6);
    expect(report.setAsideKept).toBe(true);
    expect(again.doc.getMap('notes').get('kept')).toBe('yes');
    const setAside = await again.storage.setAside();
    expect(setAside.map((entry) => entry.rowKey)).toEqual([report.setAside[0]?.key]);
  });

  it('keeps a change whose row is refused, says so, and stores it by the retry', async () => {
    const { name, local: storage, page, time, ...first } = await openOnFakedPage();
    const states: SaveState[] = [];
    first.storage.onSaveState((state) => states.push(state));
    const refused = refuseRows(rowOf(name), 1);
    first.doc.getMap('notes').set('a', 'typed on a full disk');
    await first.storage.flush();
    expect(refused).toHaveBeenCalledTimes(1);
    expect(states).toEqual([
      { state: 'saving' },
      { state: 'failed', message: 'The quota has been exceeded.' },
    ]);
    // Not stored (a storage opened to look adds rows of its own: counted from here).
    expect(await storedNotes(name)).toEqual({});
    const addedBefore = refused.mock.calls.length;
    // Meanwhile the journal holds it: a page gone now leaves it for the next.
    page.dispatchEvent(pageHide());
    expect(storage.items.has(JOURNAL_PREFIX + name)).toBe(true);
    storage.items.clear();

    // The retry stores it, with nothing changed since.
    const saved = new Promise<void>((resolve) =>
      first.storage.onSaveState((state) => state.state === 'saved' && resolve()),
    );
    time.advance(RETRY_FIRST_MS);
    await saved;
    expect(refused.mock.calls.length - addedBefore).toBe(1);
    expect(states.map((state) => state.state)).toEqual(['saving', 'failed', 'saved']);
    expect(await storedNotes(name)).toEqual({ a: 'typed on a full disk' });
    // Confirmed: the journal has nothing left to write.
    page.dispatchEvent(pageHide());
    expect(storage.items.size).toBe(0);
  });

  it('leaves a change still refused when it closes in the journal, and the next page stores it', async () => {
    const { name, local: storage, ...first } = await openOnFakedPage();
    // Refused as the transaction ends, every time, up to the last try as it closes.
    refuseRows(rowOf(name), Infinity, 'aborts');
    first.doc.getMap('notes').set('b', 'typed while the disk was full');
    await first.storage.flush();
    expect(first.storage.saveState().state).toBe('failed');
    await first.storage.destroy();
    vi.restoreAllMocks();
    expect(storage.items.has(JOURNAL_PREFIX + name)).toBe(true);
    expect(await storedNotes(name)).toEqual({});

    const next = open(name, new Y.Doc(), { page: { storage, events: null } });
    await next.storage.whenLoaded;
    expect(next.doc.getMap('notes').toJSON()).toEqual({ b: 'typed while the disk was full' });
    await next.storage.destroy();
    expect(storage.items.size).toBe(0);
    expect(await storedNotes(name)).toEqual({ b: 'typed while the disk was full' });
  });

  it('settles refused changes once a compaction stores the whole state', async () => {
    const { name, local: storage, page, time, ...first } = await openOnFakedPage();
    const refused = refuseRows(rowOf(name), 1);
    first.doc.getMap('notes').set('c', 'refused, then compacted');
    await first.storage.flush();
    expect(first.storage.saveState().state).toBe('failed');
    const saved = new Promise<void>((resolve) =>
      first.storage.onSaveState((state) => state.state === 'saved' && resolve()),
    );
    await first.storage.compact();
    await saved;
    // Stored by the compaction's row, not written again.
    time.advance(RETRY_FIRST_MS);
    expect(refused).toHaveBeenCalledTimes(2);
    page.dispatchEvent(pageHide());
    expect(storage.items.size).toBe(0);
    expect(await storedNotes(name)).toEqual({ c: 'refused, then compacted' });
  });
});
